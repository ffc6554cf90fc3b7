using System.Collections.Frozen;
using Tessera.Server.Apis;
using Tessera.Server.Catalog;
using Tessera.Server.Keys;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tests.Rules;

/// <summary>
/// Every rule of <see cref="TokenTargets"/>, one row each with its reason: which API(s) and scopes an access token gets
/// from <c>scope</c> and <c>resource</c> (RFC 6749 §3.3, RFC 8707), for a client alone and for a user's grant. The
/// conformance suites drive the same rules through the token endpoint; these rows pin each branch.
/// </summary>
public sealed class TokenTargetRuleTests
{
    private const string Messages = "https://messages.example", Ledger = "https://ledger.example", Reports = "https://reports.example";

    private static readonly ClientCatalog Catalog = new(1, FrozenDictionary<string, RegisteredClient>.Empty,
    [
        Api("messages", Messages, AccessTokenFormats.Jwt, "message:read", "message:write"),
        Api("ledger", Ledger, AccessTokenFormats.Jwt, "ledger:read"),
        Api("reports", Reports, AccessTokenFormats.Opaque, "report:read"),
        BuiltInApi.Create("https://tessera.example"),
    ]);

    private static RegisteredApi Api(string name, string audience, string format, params string[] scopes) =>
        new(name, audience, scopes.ToFrozenSet(StringComparer.Ordinal), format, SigningAlgorithms.RS256, TimeSpan.FromMinutes(5), SharedKey: null);

    private static RegisteredClient Client(string name) => name switch
    {
        "single" => Registered("openid message:read message:write"),
        "none" => Registered("openid profile"),
        "multi" => Registered("openid message:read ledger:read report:read tessera:admin"),
        _ => Registered("openid message:read ledger:read report:read tessera:admin") with { MultiAudienceTokens = true },
    };

    private static RegisteredClient Registered(string scopes) =>
        new("app", null, [], FrozenSet<string>.Empty, scopes.Split(' ').ToFrozenSet(StringComparer.Ordinal));

    private static string Describe(Outcome<TokenTarget> result) => result.Failed
        ? $"{result.Error.Error}: {result.Error.Description}"
        : $"{string.Join(' ', result.Value.Apis.Select(a => a.Name))} | {string.Join(' ', result.Value.Scopes)}";

    public static TheoryData<string, string?, string[], string, string> ClientRequests => new()
    {
        { "single", null, [], "messages | message:read message:write", "RFC 6749 §3.3: the documented default is all of the only API" },
        { "single", "message:read", [], "messages | message:read", "a registered scope" },
        { "single", null, [Messages], "messages | message:read message:write", "RFC 8707: the named API's registered scopes" },
        { "single", "openid", [], "invalid_scope: 'openid' describes a user and cannot be granted without one", "no user, no identity scope" },
        { "single", "nope", [], "invalid_scope: unknown scope 'nope'", "RFC 6749 §5.2: unknown" },
        { "single", "ledger:read", [], "invalid_scope: the client may not request scope 'ledger:read'", "RFC 6749 §3.3: not registered for it" },
        { "single", null, [Ledger], $"invalid_target: the client may not request tokens for '{Ledger}'", "RFC 8707 §2: an API the client has no scope of" },
        { "single", null, ["https://unknown.example"], "invalid_target: unknown resource 'https://unknown.example'", "RFC 8707 §2: unknown resource" },
        { "single", null, ["messages.example"], "invalid_target: resource must be an absolute URI without a fragment", "RFC 8707 §2: absolute URI" },
        { "single", null, [Messages + "#x"], "invalid_target: resource must be an absolute URI without a fragment", "RFC 8707 §2: no fragment" },
        { "single", null, ["/api"], "invalid_target: resource must be an absolute URI without a fragment", "a path is not absolute, even where .NET reads a file URI" },
        { "none", null, [], "invalid_scope: the client is not allowed any API scope", "no API scope to default to" },
        { "multi", null, [], "invalid_scope: scope is required: this client may request tokens for more than one API", "no default across APIs" },
        { "multi", null, [Ledger], "ledger | ledger:read", "the resource picks the API of the default" },
        { "multi", "message:read", [Ledger], "invalid_scope: scope 'message:read' does not belong to the requested resource", "RFC 8707 §2: scope and resource must agree" },
        { "multi", "message:read ledger:read", [], "invalid_target: one access token is for one API, and this covers messages, ledger: request one token per API with the resource parameter (RFC 8707)", "RFC 9700 §2.3: one audience" },
        { "multi-allowed", "message:read ledger:read", [], "messages ledger | message:read ledger:read", "multiAudienceTokens allows one token for two APIs" },
        { "multi-allowed", "message:read report:read", [], "invalid_target: the requested APIs (messages, reports) use different access-token formats; request one token per API with the resource parameter", "one token, one format" },
        { "multi-allowed", "message:read tessera:admin", [], "invalid_target: Tessera's own scopes (tessera:admin, tessera:pats) must be requested without other APIs' scopes", "RFC 9700 §2.3: Tessera's token goes to no other API" },
    };

    [Theory]
    [MemberData(nameof(ClientRequests))]
    public void A_client_credentials_request_selects_its_target(string client, string? scope, string[] resources, string expected, string reason)
    {
        var actual = Describe(TokenTargets.Select(scope, resources, Client(client), Catalog));

        Assert.True(expected == actual, $"{reason}: expected '{expected}', got '{actual}'");
    }

    public static TheoryData<string, string[], string, string> UserGrants => new()
    {
        { "openid message:read", [], "messages | openid message:read", "the granted API and every granted scope" },
        { "openid profile", [], "tessera | openid profile", "only OpenID Connect scopes: a token for UserInfo at Tessera" },
        { "openid message:read ledger:read", [Ledger], "ledger | openid ledger:read", "RFC 8707 §2.2: the resource narrows to one API" },
        { "message:read", [Ledger], $"invalid_target: the grant does not cover resource '{Ledger}'", "RFC 8707 §2.2: never widens" },
        { "message:read ledger:read", [], "invalid_target: one access token is for one API, and this covers messages, ledger: request one token per API with the resource parameter (RFC 8707)", "RFC 9700 §2.3: a grant for two APIs needs a resource per token" },
    };

    [Theory]
    [MemberData(nameof(UserGrants))]
    public void A_users_grant_selects_its_target(string granted, string[] resources, string expected, string reason)
    {
        var actual = Describe(TokenTargets.ForUser(granted.Split(' '), resources, Client("multi"), Catalog));

        Assert.True(expected == actual, $"{reason}: expected '{expected}', got '{actual}'");
    }
}
