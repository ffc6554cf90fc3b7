using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Import;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Registration;

/// <summary>
/// RFC 7591 §2 and §3.2.2: what a client may register itself as. The operator's allow-lists bound grant types and
/// scopes (never Tessera's own tessera:* scopes); redirect URIs follow the same rules as configured clients' (https or
/// loopback http, exact, no fragment); the client always asks the user for consent. The result is an import-format client,
/// checked again by the import's own rules for interactive clients.
/// </summary>
internal static class ClientMetadataRules
{
    private static readonly HashSet<string> AuthMethods = new(StringComparer.Ordinal)
    {
        "none", ClientAuthenticationMethods.ClientSecretBasic, ClientAuthenticationMethods.ClientSecretPost, ClientAuthenticationMethods.PrivateKeyJwt,
    };

    public static Outcome<(ImportedClient Client, KeptMetadata Kept)> Check(ClientMetadata metadata, string clientId, RegistrationOptions options, ClientCatalog catalog)
    {
        var grants = metadata.GrantTypes is { Count: > 0 } listed ? listed : [GrantTypes.AuthorizationCode];
        foreach (var grant in grants)
        {
            if (!options.AllowedGrantTypes.Contains(grant))
                return OAuthError.InvalidClientMetadata($"grant type '{grant}' is not open to registered clients");
        }
        // §2: response_types defaults to code; code is all Tessera answers, and only with the authorization_code grant.
        var responseTypes = metadata.ResponseTypes is { Count: > 0 } types ? types : [Parameters.Code];
        if (responseTypes.Any(t => t != Parameters.Code) || !grants.Contains(GrantTypes.AuthorizationCode) && metadata.ResponseTypes is { Count: > 0 })
            return OAuthError.InvalidClientMetadata("response_types may only be [\"code\"], with the authorization_code grant");

        // §3.2.2 invalid_redirect_uri: the same rules as configured clients', and always one for the authorization code grant.
        var redirectUris = metadata.RedirectUris ?? [];
        if (grants.Contains(GrantTypes.AuthorizationCode) && redirectUris.Count == 0)
            return OAuthError.InvalidRedirectUri("redirect_uris must list at least one URI for the authorization_code grant");
        foreach (var uri in redirectUris.Concat(metadata.PostLogoutRedirectUris ?? []))
        {
            if (uri.Contains('*', StringComparison.Ordinal)) return OAuthError.InvalidRedirectUri($"'{uri}': wildcards are not allowed; redirect URIs are compared exactly");
            if (RedirectUris.ProblemWithRegistration(uri) is { } problem) return OAuthError.InvalidRedirectUri($"'{uri}' {problem}");
        }

        var method = metadata.TokenEndpointAuthMethod ?? ClientAuthenticationMethods.ClientSecretBasic;   // §2's default
        if (!AuthMethods.Contains(method)) return OAuthError.InvalidClientMetadata($"token_endpoint_auth_method '{method}' is not supported");
        // §2: jwks_uri (fetched when used, SSRF-safe: Registration/MetadataDocuments/JwksUriKeySets) or jwks, never both.
        if (metadata.JwksUri is not null && metadata.Jwks is not null) return OAuthError.InvalidClientMetadata("jwks and jwks_uri must not both be present");
        if (metadata.JwksUri is { } jwksUri && (jwksUri.Length > 2000 || !Uri.TryCreate(jwksUri, UriKind.Absolute, out var keysUrl) || keysUrl.Scheme != Uri.UriSchemeHttps))
            return OAuthError.InvalidClientMetadata("jwks_uri must be an https URL");
        if (method == ClientAuthenticationMethods.PrivateKeyJwt && metadata.Jwks is null && metadata.JwksUri is null)
            return OAuthError.InvalidClientMetadata("private_key_jwt needs the client's public keys in jwks or jwks_uri");

        var scopes = SpaceDelimited.Split(metadata.Scope ?? "openid");
        foreach (var scope in scopes)
        {
            // Tessera's own APIs are never open to a client that registered itself, whatever the allow-list says.
            if (scope.StartsWith("tessera:", StringComparison.Ordinal) || !options.AllowedScopes.Contains(scope))
                return OAuthError.InvalidClientMetadata($"scope '{scope}' is not open to registered clients");
            if (!ScopePolicy.Identity.Contains(scope) && !catalog.ApisByScope.ContainsKey(scope))
                return OAuthError.InvalidClientMetadata($"scope '{scope}' is not a scope of this server");
        }
        if (metadata.ClientName is { Length: > 200 } || metadata.SoftwareId is { Length: > 200 } || metadata.SoftwareVersion is { Length: > 200 })
            return OAuthError.InvalidClientMetadata("client_name, software_id and software_version are at most 200 characters");
        // §2: shown to the user on the consent page (the logo loaded by the browser, the home page linked): the import's rule.
        foreach (var (name, uri) in new[] { ("client_uri", metadata.ClientUri), ("logo_uri", metadata.LogoUri) })
        {
            if (uri is not null && ClientDisplayUris.ProblemWithRegistration(uri) is { } problem)
                return OAuthError.InvalidClientMetadata($"{name} {problem}");
        }

        var client = new ImportedClient
        {
            ClientId = clientId,
            DisplayName = metadata.ClientName,
            LogoUri = metadata.LogoUri,
            ClientUri = metadata.ClientUri,
            GrantTypes = [.. grants],
            Scopes = [.. scopes],
            RedirectUris = [.. redirectUris],
            PostLogoutRedirectUris = metadata.PostLogoutRedirectUris is null ? null : [.. metadata.PostLogoutRedirectUris],
            Public = method == "none",
            Jwks = metadata.Jwks,
            JwksUri = metadata.JwksUri,
            // A client that named itself is never trusted to skip the user's consent.
            RequireConsent = true,
            BackchannelLogoutUri = metadata.BackchannelLogoutUri,
            RequireDpop = metadata.DpopBoundAccessTokens == true ? true : null,
        };
        var problems = new List<string>();
        InteractiveClientValidator.Validate(client, "client", problems);
        if (problems.Count > 0) return OAuthError.InvalidClientMetadata(problems[0]);
        return (client, new KeptMetadata(metadata.ClientUri, metadata.LogoUri, metadata.SoftwareId, metadata.SoftwareVersion, method));
    }
}
