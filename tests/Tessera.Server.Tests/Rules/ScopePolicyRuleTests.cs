using System.Collections.Frozen;
using Tessera.Server.Catalog;
using Tessera.Server.Protocol.Rules;

namespace Tessera.Server.Tests.Rules;

/// <summary>
/// The client-facing rules of <see cref="ScopePolicy"/>, one row each with its reason: what a client may ask for at the
/// authorization and device endpoints, and how far a refresh may narrow. The end-to-end suites drive the same rules
/// through the endpoints; these rows pin every branch.
/// </summary>
public sealed class ScopePolicyRuleTests
{
    private static readonly RegisteredClient Client = new("app", null, [], FrozenSet<string>.Empty,
        new[] { "openid", "profile", "offline_access", "message:read", "message:write" }.ToFrozenSet(StringComparer.Ordinal));

    public static TheoryData<string?, string?, string> Requests => new()
    {
        { "openid message:read", null, "RFC 6749 §3.3: registered scopes pass" },
        { "message:read message:read", null, "a repeated scope is one scope" },
        { null, "scope is required", "no default scope for a user's consent" },
        { "  ", "scope is required", "blanks are no scope" },
        { "openid admin:all", "the client may not request scope 'admin:all'", "RFC 6749 §3.3: a scope the client is not registered for" },
        { "MESSAGE:READ", "the client may not request scope 'MESSAGE:READ'", "scopes compare case-sensitively (RFC 6749 §3.3)" },
        { "openid mess\"age", "scope contains a character RFC 6749 §3.3 does not allow", "RFC 6749 §3.3: no double quote" },
        { "openid mess\\age", "scope contains a character RFC 6749 §3.3 does not allow", "RFC 6749 §3.3: no backslash" },
        { "openid m\u00e9ssage", "scope contains a character RFC 6749 §3.3 does not allow", "RFC 6749 §3.3: ASCII only" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void The_authorization_and_device_endpoints_take_only_registered_scopes(string? scope, string? error, string reason)
    {
        var result = ScopePolicy.RequestedByClient(scope, Client);

        Assert.True(error == (result.Failed ? result.Error.Description : null), $"{reason}: got '{(result.Failed ? result.Error.Description : "success")}'");
        if (result.Failed) Assert.Equal("invalid_scope", result.Error.Error);
    }

    public static TheoryData<string, string?, string?, string?, string> Refreshes => new()
    {
        { "openid message:read message:write", null, "openid message:read message:write", null, "RFC 6749 §6: no scope keeps the grant's" },
        { "openid message:read message:write", "message:read", "message:read", null, "RFC 6749 §6: narrowing is allowed" },
        { "openid message:read", "message:read message:write", null, "scope 'message:write' was not granted to the refresh token",
            "RFC 6749 §6: never wider than the grant, even for a scope the client is registered for" },
        { "openid message:read ledger", null, "openid message:read", null, "a scope taken from the client since is dropped" },
        { "ledger", null, null, "none of the refresh token's scopes is still allowed for this client", "nothing left to refresh" },
        { "openid message:read", "message:read ledger", null, "scope 'ledger' was not granted to the refresh token", "a scope taken away cannot be asked back" },
        { "openid message:read", "mess\"age", null, "scope contains a character RFC 6749 §3.3 does not allow", "RFC 6749 §3.3 syntax" },
    };

    [Theory]
    [MemberData(nameof(Refreshes))]
    public void A_refresh_narrows_and_never_widens(string granted, string? requested, string? carried, string? error, string reason)
    {
        var result = ScopePolicy.Refreshed(granted, requested, Client);

        Assert.True(error == (result.Failed ? result.Error.Description : null), $"{reason}: got '{(result.Failed ? result.Error.Description : "success")}'");
        if (result.Failed) Assert.Equal("invalid_scope", result.Error.Error);
        else Assert.Equal(carried, string.Join(' ', result.Value.Scopes));
    }

    private static readonly ClientCatalog RolesCatalog = new(1, FrozenDictionary<string, RegisteredClient>.Empty,
    [
        new RegisteredApi("messages", "https://messages.example", new[] { "message:read", "message:write" }.ToFrozenSet(StringComparer.Ordinal),
            Apis.AccessTokenFormats.Jwt, Keys.SigningAlgorithms.RS256, TimeSpan.FromMinutes(5), null) { RequiresRoles = true },
        new RegisteredApi("ledger", "https://ledger.example", new[] { "ledger" }.ToFrozenSet(StringComparer.Ordinal),
            Apis.AccessTokenFormats.Jwt, Keys.SigningAlgorithms.RS256, TimeSpan.FromMinutes(5), null),
    ]);

    public static TheoryData<string, string, string, string> Holdings => new()
    {
        { "message:read message:write", "message:read message:write", "message:read message:write", "every scope held through a role" },
        { "message:read message:write", "message:read", "message:read", "a scope of a roles-based API the user lacks is dropped" },
        { "openid message:write", "", "openid", "OpenID Connect scopes need no role" },
        { "ledger message:write", "", "ledger", "a consent-based API's scopes need no role" },
        { "message:write", "", "", "nothing held: the grant decides the error" },
        { "message:read unknown", "", "unknown", "a scope of no API is not the roles' business (other rules refuse it)" },
    };

    [Theory]
    [MemberData(nameof(Holdings))]
    public void A_user_holds_a_scope_of_a_roles_based_api_only_through_a_role(string scopes, string permissions, string held, string reason)
    {
        var actual = ScopePolicy.HeldByUser(scopes.Split(' '), permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(), RolesCatalog);

        Assert.True(held == string.Join(' ', actual), $"{reason}: expected '{held}', got '{string.Join(' ', actual)}'");
    }
}
