using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>RFC 7009 §2.1: a public client (a CLI signing out) revokes its own refresh token with client_id alone, and nothing else.</summary>
public abstract class PublicClientRevocationTests(TesseraServer server) : ServerTest(server)
{
    private async Task<string> CliRefreshTokenAsync()
    {
        var device = await DeviceFlow.AuthorizeAsync(Protocol, "openid offline_access");
        await DeviceFlow.UserDecidesAsync(Server, DeviceFlow.UserCode(device), "allow");
        var tokens = await DeviceFlow.PollAsync(Protocol, DeviceFlow.DeviceCode(device));
        return (string)tokens.Json["refresh_token"]!;
    }

    [Fact]
    public async Task A_public_client_revokes_its_own_refresh_token_with_client_id_alone()
    {
        var refreshToken = await CliRefreshTokenAsync();

        var revoked = await Protocol.PostAsync("/connect/revoke", null, ("client_id", PeopleImport.Cli), ("token", refreshToken));

        Assert.Equal(200, revoked.Status);
        var refresh = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "refresh_token"), ("client_id", PeopleImport.Cli), ("refresh_token", refreshToken));
        Assert.Equal("invalid_grant", refresh.Error);
    }

    [Fact]
    public async Task A_public_client_cannot_revoke_another_clients_token()
    {
        var refreshToken = await CliRefreshTokenAsync();

        var revoked = await Protocol.PostAsync("/connect/revoke", null, ("client_id", PeopleImport.Spa), ("token", refreshToken));

        Assert.Equal("unauthorized_client", revoked.Error);
        var refresh = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "refresh_token"), ("client_id", PeopleImport.Cli), ("refresh_token", refreshToken));
        Assert.Equal(200, refresh.Status);
    }

    [Fact]
    public async Task A_confidential_client_still_needs_its_secret_to_revoke()
    {
        var response = await Protocol.PostAsync("/connect/revoke", null, ("client_id", PeopleImport.Web), ("token", "x"));

        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_client", response.Error);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class PublicClientRevocationTests_Sqlite(SqlitePeopleFixture f) : PublicClientRevocationTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class PublicClientRevocationTests_Postgres(PostgresPeopleFixture f) : PublicClientRevocationTests(f.Server);
