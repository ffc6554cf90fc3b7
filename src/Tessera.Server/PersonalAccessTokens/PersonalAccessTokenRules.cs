using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.PersonalAccessTokens;

/// <summary>A token request that passed <see cref="PersonalAccessTokenRules.Check"/>.</summary>
internal sealed record PersonalAccessTokenRequest(string Name, string Scope, long ExpiresAt);

/// <summary>
/// What a user may put on a personal access token, shared by the account page and the PAT API.
/// Scopes: those of the configured APIs that opted in (<c>"personalAccessTokens": true</c>): a PAT is a user credential
/// outside any client's consent, and an API that did not say it accepts one must not receive one. Tessera's own scopes (<c>tessera:admin</c>, <c>tessera:pats</c>) never: the admin
/// API belongs to administrative clients, not to users, and a token that mints tokens would outlive its own expiry.
/// OpenID Connect scopes describe a sign-in, not API access, so they are not offered either.
/// </summary>
internal static class PersonalAccessTokenRules
{
    public const int MaxNameLength = 100;

    /// <summary>Every scope a user may grant a PAT, in order.</summary>
    public static IReadOnlyList<string> GrantableScopes(ClientCatalog catalog) =>
        catalog.ApisByScope.Where(p => p.Value.Name != BuiltInApi.Name && p.Value.AcceptsPersonalAccessTokens)
            .Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    public static Outcome<PersonalAccessTokenRequest> Check(
        string? name, IReadOnlyCollection<string>? scopes, long? expiresAt, ClientCatalog catalog, PersonalAccessTokenOptions options, long now)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) return OAuthError.InvalidRequest("name is required");
        if (name.Length > MaxNameLength || name.Any(char.IsControl)) return OAuthError.InvalidRequest("name must be at most 100 characters, without control characters");

        if (scopes is null || scopes.Count == 0) return OAuthError.InvalidScope("at least one scope is required");
        var grantable = GrantableScopes(catalog);
        foreach (var scope in scopes)
        {
            if (!Scopes.IsValidName(scope)) return OAuthError.InvalidScope("scope contains a character RFC 6749 §3.3 does not allow");
            if (!grantable.Contains(scope)) return OAuthError.InvalidScope($"scope '{scope}' cannot be granted to a personal access token");
        }

        // Every PAT expires: a leaked one stops working by itself.
        if (expiresAt is not { } expiry) return OAuthError.InvalidRequest("an expiry is required");
        if (expiry <= now) return OAuthError.InvalidRequest("the expiry must be in the future");
        if (expiry > now + (long)options.MaxLifetime.TotalSeconds)
            return OAuthError.InvalidRequest($"the expiry may be at most {(int)options.MaxLifetime.TotalDays} days away");

        return new PersonalAccessTokenRequest(name, SpaceDelimited.Join(scopes.Distinct(StringComparer.Ordinal)), expiry);
    }
}
