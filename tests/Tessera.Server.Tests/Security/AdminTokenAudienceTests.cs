using System.Text.Json.Nodes;
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
