using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.PersonalAccessTokens;

/// <summary>A token request that passed <see cref="PersonalAccessTokenRules.Check"/>.</summary>
internal sealed record PersonalAccessTokenRequest(string Name, string Scope, long ExpiresAt);

/// <summary>
/// What a user may put on a personal access token (name, expiry; the scopes by <see cref="ScopePolicy.ForPersonalAccessToken"/>),
/// shared by the account page and the PAT API.
/// </summary>
internal static class PersonalAccessTokenRules
{
    public const int MaxNameLength = 100;

    public static Outcome<PersonalAccessTokenRequest> Check(
        string? name, IReadOnlyCollection<string>? scopes, long? expiresAt, ClientCatalog catalog, IReadOnlySet<string> permissions,
        PersonalAccessTokenOptions options, long now)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) return OAuthError.InvalidRequest("name is required");
        if (name.Length > MaxNameLength || name.Any(char.IsControl)) return OAuthError.InvalidRequest("name must be at most 100 characters, without control characters");

        // The scope rules of a PAT are with every other scope rule.
        var scope = ScopePolicy.ForPersonalAccessToken(scopes, catalog, permissions);
        if (scope.Failed) return scope.Error;

        // Every PAT expires: a leaked one stops working by itself.
        if (expiresAt is not { } expiry) return OAuthError.InvalidRequest("an expiry is required");
        if (expiry <= now) return OAuthError.InvalidRequest("the expiry must be in the future");
        if (expiry > now + (long)options.MaxLifetime.TotalSeconds)
            return OAuthError.InvalidRequest($"the expiry may be at most {(int)options.MaxLifetime.TotalDays} days away");

        return new PersonalAccessTokenRequest(name, scope.Value, expiry);
    }
}
