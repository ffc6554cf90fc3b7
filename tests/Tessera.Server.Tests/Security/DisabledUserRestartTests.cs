using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// A node that starts knows at once who is disabled: a disabled user's access token (one outside any refresh-token
/// family, which the disable could not revoke row by row) stays inactive across a restart, before any revocation poll.
/// </summary>
public abstract class DisabledUserRestartTests(DatabaseKind kind)
{
    [Fact]
    public async Task A_disabled_users_access_token_is_inactive_at_a_node_that_has_just_started()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        // No poll during the test: only what the node loads at start-up can refuse the token.
        var settings = new Dictionary<string, string?> { ["Tessera:Cache:RevocationPollInterval"] = "01:00:00" };
        string jwt;
        await using (var before = await TesseraServer.StartAsync(database, PeopleImport.Create(), settings))
        {
            var protocol = new ProtocolClient(before.CreateClient());
            var dan = await TestUser.CreateAsync(protocol);
            using var browser = new Browser(before);
            jwt = (await dan.WebTokensAsync(browser, protocol, "message")).AccessToken;
            Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, $"/admin/users/{dan.Username}/disable")).Status);
            settings["Tessera:Issuer"] = before.Issuer;
        }

        await using var after = await TesseraServer.StartAsync(database, PeopleImport.Create(), settings);
        var introspected = await new ProtocolClient(after.CreateClient()).IntrospectAsync(Other, OtherSecret, jwt);

        Assert.False(introspected.Active);
    }
}

public sealed class DisabledUserRestartTests_Sqlite() : DisabledUserRestartTests(DatabaseKind.Sqlite);

public sealed class DisabledUserRestartTests_Postgres() : DisabledUserRestartTests(DatabaseKind.Postgres);
