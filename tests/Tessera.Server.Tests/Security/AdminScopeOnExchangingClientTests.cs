using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// tessera:admin is for administrative clients: a client that exchanges users' tokens (RFC 8693) acts for them, and
/// with the admin scope it would be one step from an administrator's token; the import (and the admin API, which
/// validates like it) refuses the combination.
/// </summary>
public abstract class AdminScopeOnExchangingClientTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task A_client_with_the_token_exchange_grant_cannot_hold_the_admin_scope()
    {
        var id = "exchanging-admin-" + Guid.NewGuid().ToString("n")[..8];

        var created = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients", new
        {
            clientId = id,
            grantTypes = new[] { "client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange" },
            scopes = new[] { "tessera:admin", "internal" },
        });

        Assert.Equal(400, created.Status);
        Assert.Equal("invalid_request", created.Error);
        Assert.Contains("'tessera:admin' is for administrative clients", created.ErrorDescription);
        Assert.Equal(404, (await AdminApi.SendJsonAsync(Protocol, HttpMethod.Get, $"/admin/clients/{id}")).Status);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class AdminScopeOnExchangingClientTests_Sqlite(SqlitePeopleFixture f) : AdminScopeOnExchangingClientTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class AdminScopeOnExchangingClientTests_Postgres(PostgresPeopleFixture f) : AdminScopeOnExchangingClientTests(f.Server);
