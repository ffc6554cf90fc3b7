using Tessera.Server.Tests.Infrastructure;
using Tessera.Server.Tokens.Opaque;
using Tessera.Testing;
using Xunit.Abstractions;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Introspection reads a token from the database at most once per node (issue "Scale", item 3): the node that issued it
/// not at all, and concurrent misses for one token share one read instead of each running the same SELECT.
/// </summary>
public abstract class IntrospectionReadTests(DatabaseKind kind, ITestOutputHelper output)
{
    [Fact]
    public async Task The_issuing_node_introspects_its_own_new_token_without_reading_it()
    {
        var statements = new SqlStatementCounter();
        await using var server = await TesseraServer.StartAsync(kind, StandardImport(), SqlStatementCounter.QuietSettings(), statements.Register);
        var protocol = new ProtocolClient(server.CreateClient());
        var token = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger")).AccessToken;

        await statements.CountAsync(async () => Assert.True((await protocol.IntrospectAsync(Other, OtherSecret, token)).Active));

        Assert.Equal(0, TokenReads(statements));
    }

    [Fact]
    public async Task Thirty_two_concurrent_introspections_of_an_uncached_token_read_it_once()
    {
        var statements = new SqlStatementCounter();
        await using var server = await TesseraServer.StartAsync(kind, StandardImport(), SqlStatementCounter.QuietSettings(), statements.Register);
        var protocol = new ProtocolClient(server.CreateClient());
        var token = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger")).AccessToken;
        // As on a node that did not issue it: the token is in the database only.
        server.GetService<OpaqueTokenCache>().Remove(OpaqueHandles.Hash(token));

        using var start = new SemaphoreSlim(0);
        var introspections = Enumerable.Range(0, 32).Select(async _ =>
        {
            await start.WaitAsync();
            return await protocol.IntrospectAsync(Other, OtherSecret, token);
        }).ToList();
        await statements.CountAsync(async () =>
        {
            start.Release(32);
            foreach (var response in await Task.WhenAll(introspections)) Assert.True(response.Active);
        });

        output.WriteLine(statements.Listing);
        Assert.Equal(1, TokenReads(statements));
    }

    [Fact]
    public async Task A_revoked_token_is_read_at_most_once_then_refused_from_memory()
    {
        var statements = new SqlStatementCounter();
        await using var server = await TesseraServer.StartAsync(kind, StandardImport(), SqlStatementCounter.QuietSettings(), statements.Register);
        var protocol = new ProtocolClient(server.CreateClient());
        var token = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger")).AccessToken;
        Assert.Equal(200, (await protocol.RevokeAsync(Service, ServiceSecret, token)).Status);

        await statements.CountAsync(async () =>
        {
            for (var i = 0; i < 5; i++) Assert.False((await protocol.IntrospectAsync(Other, OtherSecret, token)).Active);
        });

        // The revoking node knows at once: no read at all.
        Assert.Equal(0, TokenReads(statements));
    }

    [Fact]
    public async Task A_token_nobody_issued_is_inactive_every_time()
    {
        await using var server = await TesseraServer.StartAsync(kind, StandardImport(), SqlStatementCounter.QuietSettings());
        var protocol = new ProtocolClient(server.CreateClient());
        var forged = "tsr_at_" + Guid.NewGuid().ToString("n");

        // Guessing must not be cached as anything but "not found": the same guess twice, and concurrently.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => protocol.IntrospectAsync(Other, OtherSecret, forged)));
        Assert.All(answers, a => Assert.False(a.Active));
        Assert.False((await protocol.IntrospectAsync(Other, OtherSecret, forged)).Active);
    }

    private static int TokenReads(SqlStatementCounter statements) =>
        statements.Statements.Count(s => s.Contains("FROM \"OpaqueTokens\"", StringComparison.Ordinal));
}

public sealed class IntrospectionReadTests_Sqlite(ITestOutputHelper output) : IntrospectionReadTests(DatabaseKind.Sqlite, output);

public sealed class IntrospectionReadTests_Postgres(ITestOutputHelper output) : IntrospectionReadTests(DatabaseKind.Postgres, output);
