using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Catalog;
using Tessera.Server.Storage;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// A token that opens the admin API must not also be addressed to another API: that API would receive a credential
/// it could replay against the authorization server itself (RFC 9700 §2.3, audience-restricted access tokens).
/// </summary>
public abstract class AdminTokenAudienceTests(DatabaseKind kind)
{
    private const string Operator = "ops";
    private const string OperatorSecret = "ops-secret-0123456789-abcdefghijk";

    [Fact]
    public async Task One_token_for_the_admin_api_and_another_api_is_an_invalid_target()
    {
        await using var server = await StartAsync();
        var protocol = new ProtocolClient(server.CreateClient());

        var response = await protocol.ClientCredentialsAsync(Operator, OperatorSecret, "tessera:admin message");

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_target", response.Error);
    }

    [Fact]
    public async Task Naming_the_issuer_and_another_api_as_resources_is_an_invalid_target()
    {
        await using var server = await StartAsync();
        var protocol = new ProtocolClient(server.CreateClient());

        var response = await protocol.TokenAsync(Operator, OperatorSecret,
            ("grant_type", "client_credentials"), ("resource", server.Issuer), ("resource", MessagesAudience));

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_target", response.Error);
    }

    [Fact]
    public async Task The_same_client_gets_each_token_on_its_own()
    {
        await using var server = await StartAsync();
        var protocol = new ProtocolClient(server.CreateClient());

        var admin = await protocol.ClientCredentialsAsync(Operator, OperatorSecret, "tessera:admin");
        var messages = await protocol.ClientCredentialsAsync(Operator, OperatorSecret, "message");

        Assert.Equal(200, admin.Status);
        Assert.Equal(server.Issuer, (string?)Jwt.Payload(admin.AccessToken)["aud"]);
        Assert.Equal(200, messages.Status);
        var rejected = await AdminApi.GetAsync(protocol, "/admin/keys", messages.AccessToken);
        Assert.Equal(401, rejected.Status);
        Assert.Equal("invalid_token", rejected.Error);
    }

    [Fact]
    public async Task A_users_token_carrying_the_admin_scope_is_refused_even_if_the_database_allowed_it()
    {
        // The import refuses tessera:admin on a client that acts for users unless it is marked administration; here a
        // hand-edited database gave it to the web app anyway, and root holds tessera:admin through a role.
        await using var server = await TesseraServer.StartAsync(kind, AdministrativeClientTests.Import());
        var protocol = new ProtocolClient(server.CreateClient());
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            var web = await db.Clients.SingleAsync(c => c.ClientId == PeopleImport.Web);
            web.Scopes += " tessera:admin";
            await ChangeStamps.BumpAsync(db, CancellationToken.None);
            await db.SaveChangesAsync();
            await scope.ServiceProvider.GetRequiredService<SnapshotCache>().RefreshAsync(force: true, CancellationToken.None);
        }
        using var browser = new Browser(server);
        var code = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser, CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "tessera:admin", null),
            username: AdministrativeClientTests.Root, password: AdministrativeClientTests.RootPassword))["code"];
        var root = await protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));
        Assert.Equal("tessera:admin", (string?)Jwt.Payload(root.AccessToken)["scope"]);

        var refused = await AdminApi.GetAsync(protocol, "/admin/keys", root.AccessToken);

        Assert.Equal(401, refused.Status);
        Assert.Equal("invalid_token", refused.Error);
    }

    private Task<TesseraServer> StartAsync()
    {
        var import = StandardImport();
        import["clients"]!.AsArray().Add(new JsonObject
        {
            ["clientId"] = Operator, ["clientSecret"] = OperatorSecret,
            ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("tessera:admin", "message"),
        });
        return TesseraServer.StartAsync(kind, import);
    }
}

public sealed class AdminTokenAudienceTests_Sqlite() : AdminTokenAudienceTests(DatabaseKind.Sqlite);

public sealed class AdminTokenAudienceTests_Postgres() : AdminTokenAudienceTests(DatabaseKind.Postgres);
