using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>Opaque tokens are committed in shared transactions under load: every one must still exist when handed out.</summary>
public abstract class ConcurrentIssuanceTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task Every_opaque_token_issued_concurrently_is_active_at_once()
    {
        var tokens = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
            (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger")).AccessToken));

        Assert.Equal(200, tokens.Distinct().Count());
        var active = await Task.WhenAll(tokens.Select(async t => (await Protocol.IntrospectAsync(Other, OtherSecret, t)).Active));
        Assert.All(active, Assert.True);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ConcurrentIssuanceTests_Sqlite(SqliteServerFixture f) : ConcurrentIssuanceTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class ConcurrentIssuanceTests_Postgres(PostgresServerFixture f) : ConcurrentIssuanceTests(f.Server);

[Collection(PgBouncerCollection.Name)]
public sealed class ConcurrentIssuanceTests_PgBouncer(PgBouncerServerFixture f) : ConcurrentIssuanceTests(f.Server);
