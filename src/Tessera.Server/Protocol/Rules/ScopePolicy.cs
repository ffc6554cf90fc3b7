using Tessera.Server.Catalog;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Rules;

/// <summary>
/// Which scopes a request may get (RFC 6749 §3.3): the syntax, what a client may ask for at the authorization and device
/// endpoints, how far a refresh may narrow, what a user may put on a personal access token, and which scopes of a
/// roles-based API a user holds. Which API a token is
/// for (and so which of these scopes it carries) is chosen in <see cref="TokenTargets"/> and <see cref="ExchangeTargets"/>,
/// which call these rules.
/// </summary>
public static class ScopePolicy
{
    /// <summary>OpenID Connect scopes: they describe a user, so they belong to no API.</summary>
    public static readonly IReadOnlySet<string> Identity = new HashSet<string>(StringComparer.Ordinal) { "openid", "profile", "email", "address", "phone", "offline_access" };

    /// <summary>RFC 6749 §3.3: space-delimited tokens of %x21 / %x23-5B / %x5D-7E.</summary>
    public static Outcome<string[]> Parse(string? scope)
    {
        var values = SpaceDelimited.Split(scope);
        foreach (var value in values)
        {
            foreach (var c in value)
            {
                if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E)
                    return OAuthError.InvalidScope("scope contains a character RFC 6749 §3.3 does not allow");
            }
        }
        return values.Distinct(StringComparer.Ordinal).ToArray();
    }

    public static bool IsValidName(string scope) => scope.Length > 0 && scope.All(c => c >= 0x21 && c != 0x22 && c != 0x5C && c <= 0x7E);

    /// <summary>
    /// The authorization and device authorization requests: at least one scope (Tessera has no default scope for a
    /// user's consent), each one the client is registered for (RFC 6749 §3.3: the server may refuse the others).
    /// </summary>
    public static Outcome<string[]> RequestedByClient(string? scope, RegisteredClient client)
    {
        var scopes = Parse(scope);
        if (scopes.Failed) return scopes.Error;
        if (scopes.Value.Length == 0) return OAuthError.InvalidScope("scope is required");
        if (scopes.Value.FirstOrDefault(s => !client.Scopes.Contains(s)) is { } notAllowed)
            return OAuthError.InvalidScope($"the client may not request scope '{notAllowed}'");
        return scopes;
    }

    /// <summary>
    /// RFC 6749 §6: a refresh may narrow the scope, never widen it beyond what the user granted — nor beyond what the
    /// client may still request: a scope taken from the client since is gone from its refresh tokens too. Granted is what
    /// the refreshed grant keeps; Scopes what this access token carries.
    /// </summary>
    public static Outcome<(IReadOnlyList<string> Granted, IReadOnlyList<string> Scopes)> Refreshed(string grantedScope, string? requestedScope, RegisteredClient client)
    {
        var granted = SpaceDelimited.Split(grantedScope).Where(client.Scopes.Contains).ToList();
        if (granted.Count == 0) return OAuthError.InvalidScope("none of the refresh token's scopes is still allowed for this client");
        var requested = Parse(requestedScope);
        if (requested.Failed) return requested.Error;
        if (requested.Value.FirstOrDefault(s => !granted.Contains(s)) is { } wider)
            return OAuthError.InvalidScope($"scope '{wider}' was not granted to the refresh token");
        return (granted, requested.Value.Length > 0 ? requested.Value : granted);
    }

    /// <summary>Whether any of the scopes is held only through a role (<see cref="HeldOnlyThroughRoles"/>): only then are the user's roles read.</summary>
    public static bool NeedRoles(IEnumerable<string> scopes, ClientCatalog catalog) =>
        scopes.Any(scope => HeldOnlyThroughRoles(scope, catalog));

    /// <summary>
    /// A scope a user holds only through a role: every scope of an API with <c>userAccess: rbac</c>, and Tessera's admin
    /// permissions always — consent is how a user lends a client what the user has, never how a user becomes an administrator.
    /// </summary>
    public static bool HeldOnlyThroughRoles(string scope, ClientCatalog catalog) =>
        (catalog.ApisByScope.TryGetValue(scope, out var api) && api.RequiresRoles) || BuiltInApi.IsAdminScope(scope);

    /// <summary>
    /// The scopes a user may hold, in order: a scope held only through roles (an rbac API's, an admin permission) only
    /// when one of the user's roles carries it as a permission; every other scope (consent-based APIs, OpenID Connect) passes. A scope the user
    /// lacks is dropped here; each grant decides what an empty result means (RFC 6749 §4.1.2.1 access_denied at the
    /// authorization endpoint, §5.2 invalid_scope at the token endpoint).
    /// </summary>
    public static IReadOnlyList<string> HeldByUser(IEnumerable<string> scopes, IReadOnlySet<string> permissions, ClientCatalog catalog) =>
        scopes.Where(scope => !HeldOnlyThroughRoles(scope, catalog) || permissions.Contains(scope)).ToList();

    /// <summary>
    /// Every scope a user may put on a personal access token, in order: those of the APIs that opted in
    /// (<c>"personalAccessTokens": true</c>) — a PAT is a user credential outside any client's consent, and an API that
    /// did not say it accepts one must not receive one. Tessera's own scopes never: the admin API belongs to
    /// administrative clients, and a token that mints tokens would outlive its own expiry. OpenID Connect scopes describe
    /// a sign-in, not API access, so they are not offered either.
    /// </summary>
    public static IReadOnlyList<string> GrantableToPersonalAccessTokens(ClientCatalog catalog) =>
        catalog.ApisByScope.Where(p => p.Value.Name != BuiltInApi.Name && p.Value.AcceptsPersonalAccessTokens)
            .Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>The scopes this user may put on a personal access token: the grantable ones the user holds (see above).</summary>
    public static IReadOnlyList<string> GrantableToPersonalAccessTokens(ClientCatalog catalog, IReadOnlySet<string> permissions) =>
        HeldByUser(GrantableToPersonalAccessTokens(catalog), permissions, catalog);

    /// <summary>
    /// The scopes of a new personal access token: at least one, each grantable (see above); a scope of a roles-based API
    /// the user does not hold is dropped, and none left is invalid_scope (RFC 6749 §5.2's meaning, as the PAT API's error).
    /// </summary>
    public static Outcome<string> ForPersonalAccessToken(IReadOnlyCollection<string>? scopes, ClientCatalog catalog, IReadOnlySet<string> permissions)
    {
        if (scopes is null || scopes.Count == 0) return OAuthError.InvalidScope("at least one scope is required");
        var grantable = GrantableToPersonalAccessTokens(catalog);
        foreach (var scope in scopes)
        {
            if (!IsValidName(scope)) return OAuthError.InvalidScope("scope contains a character RFC 6749 §3.3 does not allow");
            if (!grantable.Contains(scope)) return OAuthError.InvalidScope($"scope '{scope}' cannot be granted to a personal access token");
        }
        var held = HeldByUser(scopes.Distinct(StringComparer.Ordinal), permissions, catalog);
        if (held.Count == 0) return OAuthError.InvalidScope("the user holds none of the requested scopes");
        return SpaceDelimited.Join(held);
    }
}
