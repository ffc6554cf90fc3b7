using Tessera.Server.Catalog;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Import;

/// <summary>
/// Who may carry Tessera's admin permissions (tessera:admin and its parts). A client's own tokens (client credentials)
/// may, as before. A client that signs users in (authorization code, device, refresh) may only when it is marked
/// <c>"administration": true</c> — there a user gets only the admin permissions their roles carry, and the admin API
/// takes such a token only from such a client. Token exchange never: it acts for users whose tokens other parties hold,
/// and would hand out their administrative rights.
/// </summary>
internal static class AdministrativeClientValidator
{
    private static readonly string[] SignInGrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.DeviceCode];

    public static void Validate(ImportedClient client, string at, List<string> problems)
    {
        var grants = client.GrantTypes ?? [];
        var adminScope = client.Scopes?.FirstOrDefault(BuiltInApi.IsAdminScope);
        if (adminScope is not null && grants.Contains(GrantTypes.TokenExchange))
            problems.Add($"{at}.scopes '{adminScope}' is for administrative clients, not for a client that exchanges users' tokens ({GrantTypes.TokenExchange})");
        if (adminScope is not null && client.Administration != true && grants.FirstOrDefault(SignInGrantTypes.Contains) is { } signIn)
            problems.Add($"{at}.scopes '{adminScope}' is for administrative clients: a client that acts for users ({signIn}) needs \"administration\": true, and its users get only the admin permissions their roles carry");
        if (client.Administration == true && adminScope is null)
            problems.Add($"{at}.administration is true but scopes lists no tessera:admin scope for it to give");
    }
}
