using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Conformance;

public abstract class Rfc7009RevocationTests(TesseraServer server) : ServerTest(server)
{
    [Theory]
    [InlineData("message", "a JWT goes on the deny-list")]
    [InlineData("ledger", "an opaque token's row is marked revoked")]
    public async Task A_revoked_token_is_inactive_at_introspection(string scope, string how)
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, scope)).AccessToken;

        var revoke = await Protocol.RevokeAsync(Service, ServiceSecret, token);

        Assert.Equal(200, revoke.Status);
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active, how);
    }

    [Fact]
    public async Task Revoking_twice_or_revoking_garbage_is_still_200()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        Assert.Equal(200, (await Protocol.RevokeAsync(Service, ServiceSecret, token)).Status);
        Assert.Equal(200, (await Protocol.RevokeAsync(Service, ServiceSecret, token)).Status);
        Assert.Equal(200, (await Protocol.RevokeAsync(Service, ServiceSecret, "tsr_at_neverIssued")).Status);
    }

    [Fact]
    public async Task A_client_cannot_revoke_another_clients_token()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger")).AccessToken;

        var revoke = await Protocol.RevokeAsync(Other, OtherSecret, token);

        Assert.Equal(400, revoke.Status);
        Assert.Equal("unauthorized_client", revoke.Error);
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    [Fact]
    public async Task Revocation_requires_client_authentication()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger")).AccessToken;

        var response = await Protocol.PostAsync("/connect/revoke", null, ("token", token));

        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_client", response.Error);
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class Rfc7009RevocationTests_Sqlite(SqliteServerFixture f) : Rfc7009RevocationTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class Rfc7009RevocationTests_Postgres(PostgresServerFixture f) : Rfc7009RevocationTests(f.Server);

[Collection(PgBouncerCollection.Name)]
public sealed class Rfc7009RevocationTests_PgBouncer(PgBouncerServerFixture f) : Rfc7009RevocationTests(f.Server);
