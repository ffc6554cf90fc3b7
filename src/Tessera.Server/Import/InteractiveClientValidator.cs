using Tessera.Server.Protocol.Rules;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Import;

/// <summary>The fields of clients that send users through the authorization endpoint: redirect URIs, public clients.</summary>
internal static class InteractiveClientValidator
{
    public static void Validate(ImportedClient client, string at, List<string> problems)
    {
        ValidateUris(client.RedirectUris, $"{at}.redirectUris", problems);
        ValidateUris(client.PostLogoutRedirectUris, $"{at}.postLogoutRedirectUris", problems);
        ValidateOrigins(client.AllowedCorsOrigins, $"{at}.allowedCorsOrigins", problems);

        BackChannelLogoutUriRule.Validate(client, at, problems);

        var grants = client.GrantTypes ?? [];
        // RFC 6749 §3.1.2.2: a client using the authorization endpoint must register its redirect URIs.
        if (grants.Contains(GrantTypes.AuthorizationCode) && client.RedirectUris is not { Count: > 0 })
            problems.Add($"{at}.redirectUris must list at least one URI for the authorization_code grant");

        if (client.Public != true) return;
        // RFC 6749 §2.1: a public client cannot keep credentials, so it has none.
        if (client.ClientSecret is not null) problems.Add($"{at}.clientSecret is not allowed for a public client");
        if (client.Jwks is not null) problems.Add($"{at}.jwks is not allowed for a public client");
        // RFC 6749 §4.4: client credentials need an authenticated (confidential) client.
        for (var j = 0; j < grants.Count; j++)
        {
            if (grants[j] == GrantTypes.ClientCredentials)
                problems.Add($"{at}.grantTypes[{j}] 'client_credentials' is not allowed for a public client");
            // RFC 8693 §5: exchanging another party's token requires an authenticated client.
            if (grants[j] == GrantTypes.TokenExchange)
                problems.Add($"{at}.grantTypes[{j}] '{GrantTypes.TokenExchange}' is not allowed for a public client");
        }
    }

    private static void ValidateOrigins(List<string>? origins, string at, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < (origins?.Count ?? 0); j++)
        {
            var origin = origins![j];
            var problem = CorsOrigins.ProblemWithRegistration(origin);
            if (problem is not null) problems.Add($"{at}[{j}] '{origin}' {problem}");
            else if (!seen.Add(origin)) problems.Add($"{at}[{j}] '{origin}' appears twice");
        }
    }

    private static void ValidateUris(List<string>? uris, string at, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < (uris?.Count ?? 0); j++)
        {
            var uri = uris![j];
            var problem = RedirectUris.ProblemWithRegistration(uri);
            if (problem is not null) problems.Add($"{at}[{j}] '{uri}' {problem}");
            else if (!seen.Add(uri)) problems.Add($"{at}[{j}] '{uri}' appears twice");
        }
    }
}
