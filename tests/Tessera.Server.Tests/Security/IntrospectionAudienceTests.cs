using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// RFC 7662 §4: introspection tells a client about a token only when it is the token's own client or a resource server
/// of one of the token's APIs (<c>"introspects"</c>); everyone else gets exactly <c>{"active": false}</c>.
/// </summary>
public abstract class IntrospectionAudienceTests(TesseraServer server) : ServerTest(server)
{
    private static void AssertOnlyInactive(ProtocolResponse introspected)
    {
        Assert.Equal(200, introspected.Status);
        Assert.Equal("""{"active":false}""", introspected.Json.ToJsonString());
    }

    /// <summary>A resource server registered through the admin API that introspects the given APIs.</summary>
    private async Task<(string Id, string Secret)> ResourceServerAsync(params string[] introspects)
    {
        var id = "rs-" + Guid.NewGuid().ToString("n")[..8];
        var created = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients",
            new { clientId = id, grantTypes = new[] { "client_credentials" }, scopes = new[] { "message" }, introspects });
        Assert.True(created.Status == 201, created.Json.ToJsonString());
        Assert.Equal(introspects, created.Json["client"]!["introspects"]!.AsArray().Select(n => (string)n!));
        return (id, (string)created.Json["clientSecret"]!);
    }

    [Fact]
    public async Task Introspection_tells_a_client_that_serves_none_of_the_tokens_apis_nothing_but_inactive()
    {
        // The attack: a confidential client reads another client's token (sub, scope, client_id) at introspection.
        var serviceToken = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        var alicesToken = (await CodeFlow.WebTokensAsync(Server, Protocol, "openid message")).AccessToken;
        var alicesOpaqueToken = (await CodeFlow.WebTokensAsync(Server, Protocol, "openid ledger")).AccessToken;
        var pat = (string)(await PatApi.CreateAsync(Protocol, await PatApi.AliceTokenAsync(Server, Protocol),
            new { name = "outsider-probe", scopes = new[] { "ledger" }, expires_in_days = 1 })).Json["token"]!;

        foreach (var token in new[] { serviceToken, alicesToken, alicesOpaqueToken, pat })
        {
            Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active, "the tokens are active for a resource server of their APIs");
            AssertOnlyInactive(await Protocol.IntrospectAsync(PeopleImport.Outsider, PeopleImport.OutsiderSecret, token));
        }
    }

    [Fact]
    public async Task Introspection_answers_the_client_a_token_was_issued_to()
    {
        var own = (await Protocol.ClientCredentialsAsync(PeopleImport.Outsider, PeopleImport.OutsiderSecret, "message")).AccessToken;

        var introspected = await Protocol.IntrospectAsync(PeopleImport.Outsider, PeopleImport.OutsiderSecret, own);

        Assert.True(introspected.Active);
        Assert.Equal(PeopleImport.Outsider, (string?)introspected.Json["client_id"]);
    }

    [Fact]
    public async Task Introspection_answers_a_client_that_introspects_one_of_the_tokens_apis_and_no_other()
    {
        var (id, secret) = await ResourceServerAsync("ledger");
        var ledgerToken = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger")).AccessToken;
        var messageToken = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);
        var ledgerPat = (string)(await PatApi.CreateAsync(Protocol, bearer, new { name = "ledger-pat", scopes = new[] { "ledger" }, expires_in_days = 1 })).Json["token"]!;
        var messagePat = (string)(await PatApi.CreateAsync(Protocol, bearer, new { name = "message-pat", scopes = new[] { "message" }, expires_in_days = 1 })).Json["token"]!;

        var ledger = await Protocol.IntrospectAsync(id, secret, ledgerToken);
        Assert.True(ledger.Active);
        Assert.Equal(Service, (string?)ledger.Json["client_id"]);
        Assert.True((await Protocol.IntrospectAsync(id, secret, ledgerPat)).Active);
        AssertOnlyInactive(await Protocol.IntrospectAsync(id, secret, messageToken));
        AssertOnlyInactive(await Protocol.IntrospectAsync(id, secret, messagePat));
    }

    [Theory]
    [InlineData("no-such-api", "an API that does not exist")]
    [InlineData("tessera", "Tessera's own API, whose tokens only Tessera reads")]
    public async Task A_client_cannot_be_registered_to_introspect_an_api_that_is_not_an_api_resource(string api, string reason)
    {
        var created = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients",
            new { clientId = "rs-bad-" + Guid.NewGuid().ToString("n")[..8], grantTypes = new[] { "client_credentials" }, scopes = new[] { "message" }, introspects = new[] { api } });

        Assert.True(created.Status == 400, reason);
        Assert.Contains(created.Json["problems"]!.AsArray(), p => ((string)p!).EndsWith($".introspects[0] '{api}' is not the name of an API resource", StringComparison.Ordinal));
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class IntrospectionAudienceTests_Sqlite(SqlitePeopleFixture f) : IntrospectionAudienceTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class IntrospectionAudienceTests_Postgres(PostgresPeopleFixture f) : IntrospectionAudienceTests(f.Server);
