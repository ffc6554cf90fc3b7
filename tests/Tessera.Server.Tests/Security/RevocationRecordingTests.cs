using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Storage;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Only a unique-key violation means "already revoked". Any other failure to record a revocation must surface as an
/// error, never as the 200 of a revocation that happened. Each test has its own server: one of them breaks a table.
/// </summary>
public abstract class RevocationRecordingTests(DatabaseKind kind)
{
    [Fact]
    public async Task Revoking_the_same_jwt_many_times_at_once_succeeds_every_time()
    {
        await using var server = await TesseraServer.StartAsync(kind, StandardImport());
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);
        var token = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;

        var revocations = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => protocol.RevokeAsync(Service, ServiceSecret, token)));

        Assert.All(revocations, r => Assert.Equal(200, r.Status));
        Assert.False((await protocol.IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    [Fact]
    public async Task A_revocation_the_database_refused_to_record_is_not_reported_as_done()
    {
        await using var server = await TesseraServer.StartAsync(kind, StandardImport());
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);
        var token = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        // A failure that is not a duplicate key (as a full disk or a lost connection would be): every insert is refused.
        await ExecuteAsync(server, kind == DatabaseKind.Sqlite
            ? """CREATE TRIGGER refuse_revocations BEFORE INSERT ON "RevokedJwts" BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"""
            : """
              CREATE FUNCTION refuse_revocations() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql;
              CREATE TRIGGER refuse_revocations BEFORE INSERT ON "RevokedJwts" FOR EACH ROW EXECUTE FUNCTION refuse_revocations();
              """);

        var revocation = await protocol.RevokeAsync(Service, ServiceSecret, token);

        Assert.Equal(500, revocation.Status);
        Assert.Equal("server_error", revocation.Error);
        // Honest: the token was not revoked, and introspection says so.
        Assert.True((await protocol.IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    private static async Task ExecuteAsync(TesseraServer server, string sql)
    {
        await using var scope = server.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TesseraDbContext>().Database.ExecuteSqlRawAsync(sql);
    }
}

public sealed class RevocationRecordingTests_Sqlite() : RevocationRecordingTests(DatabaseKind.Sqlite);

public sealed class RevocationRecordingTests_Postgres() : RevocationRecordingTests(DatabaseKind.Postgres);
