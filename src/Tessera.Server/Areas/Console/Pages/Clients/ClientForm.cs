using Tessera.Server.Import;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Areas.Console.Pages.Clients;

/// <summary>
/// The fields of a client the console edits, in the import file's terms. Everything else a client has (keys, CORS
/// origins, introspection rights…) is kept as it is: the admin API and the import file change those.
/// </summary>
public sealed class ClientForm
{
    public string? ClientId { get; set; }
    public string? DisplayName { get; set; }
    public bool Public { get; set; }
    public List<string> GrantTypes { get; set; } = [];
    public string? Scopes { get; set; }
    public string? RedirectUris { get; set; }
    public string? PostLogoutRedirectUris { get; set; }
    public string? LogoUri { get; set; }
    public string? ClientUri { get; set; }
    public bool RequireConsent { get; set; } = true;
    public bool RequireMfa { get; set; }

    public static IReadOnlyList<string> OfferedGrantTypes { get; } =
        [Vocabulary.GrantTypes.AuthorizationCode, Vocabulary.GrantTypes.RefreshToken, Vocabulary.GrantTypes.ClientCredentials, Vocabulary.GrantTypes.DeviceCode];

    public static ClientForm Of(ImportedClient client) => new()
    {
        ClientId = client.ClientId,
        DisplayName = client.DisplayName,
        Public = client.Public == true,
        GrantTypes = client.GrantTypes ?? [],
        Scopes = string.Join(' ', client.Scopes ?? []),
        RedirectUris = string.Join('\n', client.RedirectUris ?? []),
        PostLogoutRedirectUris = string.Join('\n', client.PostLogoutRedirectUris ?? []),
        LogoUri = client.LogoUri,
        ClientUri = client.ClientUri,
        RequireConsent = client.RequireConsent != false,
        RequireMfa = client.RequireMfa == true,
    };

    /// <summary>The client with this form's fields over <paramref name="stored"/> (null for a new one); the import's validator judges it.</summary>
    public ImportedClient ToImported(ImportedClient? stored) => (stored ?? new ImportedClient()) with
    {
        ClientId = Blank(ClientId)?.Trim() ?? stored?.ClientId,
        DisplayName = Blank(DisplayName),
        Public = Public ? true : stored?.Public is null ? null : false,
        GrantTypes = [.. GrantTypes.Where(g => !string.IsNullOrWhiteSpace(g)).Distinct(StringComparer.Ordinal)],
        Scopes = [.. SpaceDelimited.Split(Scopes?.Replace('\n', ' ').Replace('\r', ' ') ?? "")],
        RedirectUris = Lines(RedirectUris),
        PostLogoutRedirectUris = Lines(PostLogoutRedirectUris),
        LogoUri = Blank(LogoUri),
        ClientUri = Blank(ClientUri),
        RequireConsent = RequireConsent,
        RequireMfa = RequireMfa ? true : null,
    };

    /// <summary>
    /// Whether one of the import validator's problems is about <paramref name="field"/>: they name it after the client's
    /// path ("$.clients[2].redirectUris[0] …"), so the form marks that field invalid (WCAG 3.3.1).
    /// </summary>
    public static bool IsNamedIn(IReadOnlyList<string> problems, string field) =>
        problems.Any(problem => problem.Contains($".{field} ", StringComparison.Ordinal) || problem.Contains($".{field}[", StringComparison.Ordinal));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<string> Lines(string? value) =>
        [.. (value ?? "").Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0)];
}
