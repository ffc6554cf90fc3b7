using Tessera.Server.Vocabulary;

namespace Tessera.Server.Import;

/// <summary>
/// A scope's display names: one per language the pages speak, each a short line of text. A language the pages do not
/// speak would never be shown, so it is refused rather than kept silently.
/// </summary>
internal static class ScopeDisplayNamesRule
{
    public const int MaxLength = 200;

    public static void Check(Dictionary<string, string>? displayNames, string at, List<string> problems)
    {
        foreach (var (culture, text) in displayNames ?? [])
        {
            if (!PageCultures.Supported.Any(s => s.Culture == culture))
                problems.Add($"{at} has the language '{culture}', which the pages do not speak (they speak {string.Join(", ", PageCultures.Supported.Select(s => s.Culture))})");
            else if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength || text.Any(char.IsControl))
                problems.Add($"{at}.{culture} must be 1 to {MaxLength} characters of text without control characters");
        }
    }
}
