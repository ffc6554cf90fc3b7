using System.Globalization;

namespace Tessera.Server.Vocabulary;

/// <summary>
/// The languages the pages speak. English is the text in the pages themselves; every other language is one resource
/// file, Resources/Pages/PageText.&lt;culture&gt;.resx, and one entry here.
/// </summary>
internal static class PageCultures
{
    public const string English = "en";
    public const string SimplifiedChinese = "zh-CN";

    /// <summary>Each supported culture with its name in its own language, as the language switcher shows it.</summary>
    public static readonly IReadOnlyList<(string Culture, string OwnName)> Supported =
    [
        (English, "English"),
        (SimplifiedChinese, "简体中文"),
    ];

    public static readonly CultureInfo[] All = [.. Supported.Select(s => new CultureInfo(s.Culture))];

    /// <summary>
    /// The supported culture a BCP 47 language tag asks for, or null. A tag matches its own culture, any region of it
    /// ("en-GB" is English), and Chinese in simplified script: "zh", "zh-Hans", "zh-Hans-CN", "zh-SG" are zh-CN, but
    /// "zh-TW" and "zh-Hant" (traditional script) are not — a reader of traditional Chinese gets English rather than a
    /// script they did not ask for.
    /// </summary>
    public static string? Match(ReadOnlySpan<char> tag)
    {
        tag = tag.Trim();
        if (tag.IsEmpty) return null;
        if (tag.Equals("en", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("en-", StringComparison.OrdinalIgnoreCase)) return English;
        if (!tag.Equals("zh", StringComparison.OrdinalIgnoreCase) && !tag.StartsWith("zh-", StringComparison.OrdinalIgnoreCase)) return null;
        var rest = tag.Length > 3 ? tag[3..] : [];
        return rest.StartsWith("Hant", StringComparison.OrdinalIgnoreCase)
            || rest.Equals("TW", StringComparison.OrdinalIgnoreCase)
            || rest.Equals("HK", StringComparison.OrdinalIgnoreCase)
            || rest.Equals("MO", StringComparison.OrdinalIgnoreCase)
            ? null
            : SimplifiedChinese;
    }

    /// <summary>The first tag of a list (space-delimited for ui_locales, already split for Accept-Language) that matches.</summary>
    public static string? FirstMatch(IEnumerable<string> tags)
    {
        foreach (var tag in tags)
            if (Match(tag) is { } culture) return culture;
        return null;
    }
}
