using System.Net;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Issue 18's health endpoints: <c>/health/live</c> while the process serves, <c>/health/ready</c> only while the
/// database is reachable and migrated, a signing key is active and the configuration is fresh — never cached, and
/// saying no more than Healthy or Unhealthy.
/// </summary>
public abstract class HealthTests(DatabaseKind kind)
{
    [Fact]
    public async Task A_started_node_is_live_and_ready_and_the_answers_are_not_cached()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        using var http = server.CreateClient();

        using var live = await http.GetAsync("/health/live");
        using var ready = await http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Contains("no-store", ready.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }
}

public sealed class HealthTests_Sqlite() : HealthTests(DatabaseKind.Sqlite);

public sealed class HealthTests_Postgres() : HealthTests(DatabaseKind.Postgres);

/// <summary>
/// A PostgreSQL outage of one node's database: ready turns 503 while it lasts and 200 when it ends, while live stays
/// 200; a request that needs the database gets 503 temporarily_unavailable with Retry-After, never 500, and what needs
/// no database (discovery, JWKS) keeps answering.
/// </summary>
public sealed class DatabaseOutageHealthTests
{
    [Fact]
    public async Task Ready_answers_503_while_the_database_is_down_and_200_again_when_it_returns_while_live_stays_200()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(server.CreateClient());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        await database.SetOutageAsync(down: true);
        try
        {
            using var down = await http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/.well-known/openid-configuration")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/.well-known/jwks")).StatusCode);

            // An opaque token is a row: its issuance needs the database.
            using var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = TestClients.Service, ["client_secret"] = TestClients.ServiceSecret, ["scope"] = "ledger",
            }));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, token.StatusCode);
            Assert.Equal("temporarily_unavailable", (string?)System.Text.Json.Nodes.JsonNode.Parse(await token.Content.ReadAsStringAsync())!["error"]);
            Assert.Equal(TimeSpan.FromSeconds(5), token.Headers.RetryAfter?.Delta);
        }
        finally
        {
            await database.SetOutageAsync(down: false);
        }

        // The node recovers by itself: a connection the outage broke may fail one probe, not many.
        var status = HttpStatusCode.ServiceUnavailable;
        for (var i = 0; i < 40 && status != HttpStatusCode.OK; i++)
        {
            if (i > 0) await Task.Delay(250);
            status = (await http.GetAsync("/health/ready")).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(200, (await protocol.ClientCredentialsAsync(TestClients.Service, TestClients.ServiceSecret, "ledger")).Status);
    }
}
