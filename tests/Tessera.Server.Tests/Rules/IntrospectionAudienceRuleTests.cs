using System.Collections.Frozen;
using Tessera.Server.Apis;
using Tessera.Server.Catalog;
using Tessera.Server.Keys;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Tokens.AccessTokens;

namespace Tessera.Server.Tests.Rules;

/// <summary>
/// The rule of <see cref="IntrospectionAudience"/>, one row each with its reason (RFC 7662 §4): the token's own client,
/// or a resource server that introspects one of the token's APIs, learns about it; nobody else does.
/// </summary>
public sealed class IntrospectionAudienceRuleTests
{
    private const string Messages = "https://messages.example", Ledger = "https://ledger.example";

    private static readonly ClientCatalog Catalog = new(1, FrozenDictionary<string, RegisteredClient>.Empty,
        [Api("messages", Messages), Api("ledger", Ledger)]);

    private static RegisteredApi Api(string name, string audience) =>
        new(name, audience, new[] { name + ":read" }.ToFrozenSet(), AccessTokenFormats.Opaque, SigningAlgorithms.RS256, TimeSpan.FromMinutes(5), SharedKey: null);

    public static TheoryData<string, string, string?, string[], bool, string> Callers => new()
    {
        { "app", "", "app", [Messages], true, "the client the token was issued to" },
        { "other", "", "app", [Messages], false, "another client that introspects nothing" },
        { "api", "messages", "app", [Messages], true, "the resource server of the token's API" },
        { "api", "ledger", "app", [Messages], false, "a resource server of another API" },
        { "api", "messages", "app", ["https://gone.example"], false, "an audience that is no longer an API" },
        { "api", "messages", "app", [Ledger, Messages], true, "one of several audiences" },
        { "api", "ledger", null, [Ledger], true, "a personal access token: its audiences are the APIs of its scopes" },
        { "other", "", null, [Ledger], false, "a personal access token has no client to be" },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public void A_caller_may_introspect(string caller, string introspects, string? tokenClient, string[] audiences, bool allowed, string reason)
    {
        var client = new RegisteredClient(caller, null, [], FrozenSet<string>.Empty, FrozenSet<string>.Empty)
        {
            Introspects = introspects.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal),
        };
        var token = new InspectedToken(AccessTokenFormats.Opaque, "jti", "alice", tokenClient, audiences, "messages:read", 0, 60, OpaqueHash: null);

        Assert.True(allowed == IntrospectionAudience.MayIntrospect(client, token, Catalog), reason);
    }
}
