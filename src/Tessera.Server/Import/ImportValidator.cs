using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Apis;
using Tessera.Server.Catalog;
using Tessera.Server.Keys;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Import;

/// <summary>Checks an import document completely and names every invalid field by its JSON path.</summary>
public static class ImportValidator
{
    public const int MinimumClientSecretLength = 16;
    public static readonly TimeSpan MinimumLifetime = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromDays(1);
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    public static IReadOnlyList<string> Validate(ImportDocument document, string issuer)
    {
        var problems = new List<string>();
        var apiScopes = ValidateApis(document.ApiResources ?? [], issuer, problems);
        ValidateClients(document.Clients ?? [], apiScopes, problems);
        IntrospectsValidator.Validate(document, problems);
        var roles = RoleValidator.ValidateRoles(document.Roles ?? [], apiScopes, problems);
        ValidateUsers(document.Users ?? [], roles, problems);
        return problems;
    }

    private static HashSet<string> ValidateApis(List<ImportedApi> apis, string issuer, List<string> problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var audiences = new HashSet<string>(StringComparer.Ordinal) { issuer };
        var scopes = new HashSet<string>(BuiltInApi.AdminScopes, StringComparer.Ordinal) { BuiltInApi.PatsScope, BuiltInApi.ProviderTokensScope };
        for (var i = 0; i < apis.Count; i++)
        {
            var api = apis[i];
            var at = $"$.apiResources[{i}]";
            if (api is null) { problems.Add(NullEntry(at)); continue; }
            if (string.IsNullOrWhiteSpace(api.Name) || api.Name.Length > 200) problems.Add($"{at}.name is required (at most 200 characters)");
            else if (api.Name == BuiltInApi.Name || !names.Add(api.Name)) problems.Add($"{at}.name '{api.Name}' is already taken");

            if (!TokenTargets.IsResourceIndicator(api.Audience))
                problems.Add($"{at}.audience must be an absolute URI without a fragment (RFC 8707 §2)");
            else if (!audiences.Add(api.Audience!)) problems.Add($"{at}.audience '{api.Audience}' is already used (or is the issuer)");

            if (api.Scopes is not { Count: > 0 }) problems.Add($"{at}.scopes must list at least one scope");
            for (var j = 0; j < (api.Scopes?.Count ?? 0); j++)
            {
                var scope = api.Scopes![j]?.Name;
                ScopeDisplayNamesRule.Check(api.Scopes[j]?.DisplayNames, $"{at}.scopes[{j}].displayNames", problems);
                if (scope is null || !ScopePolicy.IsValidName(scope)) problems.Add($"{at}.scopes[{j}] '{scope}' is not a valid scope name (RFC 6749 §3.3)");
                else if (ScopePolicy.Identity.Contains(scope)) problems.Add($"{at}.scopes[{j}] '{scope}' is an OpenID Connect scope, not an API scope");
                else if (!scopes.Add(scope)) problems.Add($"{at}.scopes[{j}] '{scope}' already belongs to another API: a scope names exactly one API");
            }

            if (api.AccessTokenFormat is not null && !AccessTokenFormats.IsKnown(api.AccessTokenFormat))
                problems.Add($"{at}.accessTokenFormat must be '{AccessTokenFormats.Jwt}' or '{AccessTokenFormats.Opaque}'");
            if (api.SigningAlgorithm is not null && !SigningAlgorithms.IsAsymmetric(api.SigningAlgorithm) && !SigningAlgorithms.IsSymmetric(api.SigningAlgorithm))
                problems.Add($"{at}.signingAlgorithm must be one of {string.Join(", ", SigningAlgorithms.Asymmetric.Concat(SigningAlgorithms.Symmetric))}");
            if (api.AccessTokenLifetime is { } lifetime && (lifetime < MinimumLifetime || lifetime > MaximumLifetime))
                problems.Add($"{at}.accessTokenLifetime must be between {MinimumLifetime:c} and {MaximumLifetime:c}");
            RoleValidator.ValidateApi(api, at, problems);
        }
        return scopes;
    }

    private static void ValidateClients(List<ImportedClient> clients, HashSet<string> apiScopes, List<string> problems)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < clients.Count; i++)
        {
            var client = clients[i];
            var at = $"$.clients[{i}]";
            if (client is null) { problems.Add(NullEntry(at)); continue; }
            // RFC 6749 Appendix A.1: client_id is printable ASCII (VSCHAR).
            if (string.IsNullOrEmpty(client.ClientId) || client.ClientId.Length > 200 || client.ClientId.Any(c => c < 0x20 || c > 0x7E))
                problems.Add($"{at}.clientId is required: printable ASCII, at most 200 characters");
            else if (!ids.Add(client.ClientId)) problems.Add($"{at}.clientId '{client.ClientId}' appears twice");

            if (client.ClientSecret is { Length: < MinimumClientSecretLength })
                problems.Add($"{at}.clientSecret must have at least {MinimumClientSecretLength} characters (generated secrets have 43)");
            if (client.ClientSecret is null && client.Jwks is null && client.JwksUri is null && client.Public != true)
                problems.Add($"{at} needs clientSecret or jwks to authenticate, or \"public\": true");
            if (client.Jwks is { } jwks) ValidateJwks(jwks.GetRawText(), $"{at}.jwks", problems);
            if (client.JwksUri is { } jwksUri)
            {
                // RFC 7591 §2: jwks and jwks_uri must not both be present.
                if (client.Jwks is not null) problems.Add($"{at} has both jwks and jwksUri; keep one");
                if (jwksUri.Length > 2000 || !Uri.TryCreate(jwksUri, UriKind.Absolute, out var keysUrl) || keysUrl.Scheme != Uri.UriSchemeHttps)
                    problems.Add($"{at}.jwksUri must be an https URL of at most 2000 characters");
            }

            // RFC 7591 §2: shown to the user on the consent page, so only what a page may safely load and link to.
            if (client.LogoUri is { } logoUri && ClientDisplayUris.ProblemWithRegistration(logoUri) is { } logoProblem)
                problems.Add($"{at}.logoUri {logoProblem}");
            if (client.ClientUri is { } clientUri && ClientDisplayUris.ProblemWithRegistration(clientUri) is { } homeProblem)
                problems.Add($"{at}.clientUri {homeProblem}");

            if (client.GrantTypes is not { Count: > 0 }) problems.Add($"{at}.grantTypes must list at least one grant type");
            for (var j = 0; j < (client.GrantTypes?.Count ?? 0); j++)
            {
                if (!GrantTypes.Known.Contains(client.GrantTypes![j]))
                    problems.Add($"{at}.grantTypes[{j}] '{client.GrantTypes[j]}' is not a known grant type");
            }
            for (var j = 0; j < (client.Scopes?.Count ?? 0); j++)
            {
                var scope = client.Scopes![j];
                if (!apiScopes.Contains(scope) && !ScopePolicy.Identity.Contains(scope))
                    problems.Add($"{at}.scopes[{j}] '{scope}' is not a scope of any API resource");
            }
            AdministrativeClientValidator.Validate(client, at, problems);
            // RFC 9700 §2.1.1: PKCE is what stands in for a public client's missing secret at the token endpoint.
            if (client.RequirePkce == false && client.Public == true)
                problems.Add($"{at}.requirePkce cannot be false for a public client (RFC 9700 §2.1.1)");
            InteractiveClientValidator.Validate(client, at, problems);
            RoleValidator.ValidateClient(client, at, problems);
        }
    }

    // System.Text.Json fills a list with null for a JSON null whatever the nullable annotations say.
    private static string NullEntry(string at) => $"{at} must be an object, not null";

    private static void ValidateJwks(string json, string at, List<string> problems)
    {
        if (JwksProblem(json) is { } problem) problems.Add($"{at} {problem}");
    }

    /// <summary>
    /// Why a client's JWK Set cannot be used to verify its signatures (RFC 7517 §5: public keys only, at least one signing
    /// key), or null; shared with the keys fetched from a jwks_uri.
    /// </summary>
    public static string? JwksProblem(string json)
    {
        try
        {
            var set = new JsonWebKeySet(json);
            if (set.Keys.Any(k => k.HasPrivateKey || k.Kty == JsonWebAlgorithmsKeyTypes.Octet)) return "must hold public keys only";
            if (set.GetSigningKeys().Count == 0) return "holds no usable signing key";
            return null;
        }
        catch (ArgumentException)
        {
            return "is not a JWK Set (RFC 7517 §5)";
        }
    }

    private static void ValidateUsers(List<ImportedUser> users, HashSet<string> roles, List<string> problems)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            var at = $"$.users[{i}]";
            if (user is null) { problems.Add(NullEntry(at)); continue; }
            if (string.IsNullOrWhiteSpace(user.Username)) problems.Add($"{at}.username is required");
            else if (!names.Add(user.Username)) problems.Add($"{at}.username '{user.Username}' appears twice");
            if (string.IsNullOrEmpty(user.Password)) problems.Add($"{at}.password is required");
            if (user.Email is not null && !System.Net.Mail.MailAddress.TryCreate(user.Email, out _))
                problems.Add($"{at}.email is not an e-mail address");
            RoleValidator.ValidateUser(user, at, roles, problems);
        }
    }
}
