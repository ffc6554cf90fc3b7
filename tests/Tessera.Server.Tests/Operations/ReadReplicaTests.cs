using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tessera.Server.Storage;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// A node that reads a real streaming replica (<c>Tessera:Database:ReadConnectionString</c>) for introspection misses and
/// its revocation poll: a token issued on another node is active at once (what the replica lacks is looked up on the
/// primary), a revocation still reaches it, and the replica does serve its reads (issue "Scale", item 6).
/// </summary>
public sealed class ReadReplicaTests(ReplicaFixture replicaFixture) : IAsyncLifetime, IClassFixture<ReplicaFixture>
{
    private readonly TokenReadsByServer _reads = new();
    private TestDatabase _database = null!;
    private StreamingReplica _replica = null!;
    private TesseraServer _primaryNode = null!;
    private TesseraServer _replicaNode = null!;
    private HttpClient _httpA = null!;
    private HttpClient _httpB = null!;

    private ProtocolClient A => new(_httpA);
    private ProtocolClient B => new(_httpB);

    public async Task InitializeAsync()
    {
        _replica = replicaFixture.Replica;
        _database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var settings = new Dictionary<string, string?> { ["Tessera:Cache:RevocationPollInterval"] = "00:00:00.5" };
        _primaryNode = await TesseraServer.StartAsync(_database, StandardImport(), settings);
        // The migrated database must be on the replica before a node reads it there.
        await _replica.CatchUpAsync(Admin);
        settings["Tessera:Issuer"] = _primaryNode.Issuer;
        settings["Tessera:Database:ReadConnectionString"] = _replica.ConnectionStringFor(_database.ConnectionString);
        _replicaNode = await TesseraServer.StartAsync(_database, StandardImport(), settings,
            builder => builder.Services.ConfigureDbContext<PostgresTesseraDbContext>(options => options.AddInterceptors(_reads)));
        _httpA = _primaryNode.CreateClient();
        _httpB = _replicaNode.CreateClient();
    }

    [Fact]
    public async Task A_token_issued_at_one_node_is_active_at_once_at_a_node_reading_the_replica()
    {
        for (var i = 0; i < 20; i++)
        {
            var token = await IssueAsync();
            var introspected = await B.IntrospectAsync(Other, OtherSecret, token);
            Assert.True(introspected.Active, $"token {i} was inactive at the replica-reading node right after it was issued");
        }
    }

    [Fact]
    public async Task A_token_the_lagging_replica_does_not_have_is_looked_up_on_the_primary()
    {
        // The replica stops replaying the WAL: everything issued from now on is missing there, as under heavy lag.
        await _replica.PauseReplayAsync(Admin);
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var token = await IssueAsync();
                Assert.True((await B.IntrospectAsync(Other, OtherSecret, token)).Active, $"token {i} was called inactive because the replica lagged");
            }
        }
        finally
        {
            await _replica.ResumeReplayAsync(Admin);
        }
    }

    [Fact]
    public async Task The_replica_serves_the_reads_of_tokens_it_has()
    {
        var tokens = new List<string>();
        for (var i = 0; i < 10; i++) tokens.Add(await IssueAsync());
        await _replica.CatchUpAsync(Admin);
        _reads.Ports.Clear();

        foreach (var token in tokens) Assert.True((await B.IntrospectAsync(Other, OtherSecret, token)).Active);

        var ports = _reads.Ports.ToList();
        var replicaPort = new NpgsqlConnectionStringBuilder(_replica.ConnectionStringFor(_database.ConnectionString)).Port;
        Assert.Equal(tokens.Count, ports.Count(p => p == replicaPort));
        Assert.DoesNotContain(ports, p => p != replicaPort);
    }

    [Fact]
    public async Task A_revocation_at_the_primary_node_reaches_the_replica_reading_node()
    {
        var token = await IssueAsync();
        Assert.True((await B.IntrospectAsync(Other, OtherSecret, token)).Active);

        Assert.Equal(200, (await A.RevokeAsync(Service, ServiceSecret, token)).Status);

        var revoked = Stopwatch.StartNew();
        while ((await B.IntrospectAsync(Other, OtherSecret, token)).Active)
        {
            Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(10), "still active at the replica-reading node 10 s after the revocation");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_token_nobody_issued_is_inactive_at_the_replica_reading_node()
    {
        Assert.False((await B.IntrospectAsync(Other, OtherSecret, "tsr_at_" + Guid.NewGuid().ToString("n"))).Active);
    }

    private static string Admin => Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable)!;

    private async Task<string> IssueAsync()
    {
        var response = await A.ClientCredentialsAsync(Service, ServiceSecret, "ledger");
        Assert.Equal(200, response.Status);
        return response.AccessToken;
    }

    public async Task DisposeAsync()
    {
        _httpA?.Dispose();
        _httpB?.Dispose();
        if (_replicaNode is not null) await _replicaNode.DisposeAsync();
        if (_primaryNode is not null) await _primaryNode.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>The port of the server each read of a token row went to: the primary's or the replica's.</summary>
internal sealed class TokenReadsByServer : DbCommandInterceptor
{
    public ConcurrentQueue<int> Ports { get; } = new();

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.Contains("FROM \"OpaqueTokens\"", StringComparison.Ordinal))
            Ports.Enqueue(new NpgsqlConnectionStringBuilder(command.Connection!.ConnectionString).Port);
        return ValueTask.FromResult(result);
    }
}

/// <summary>One replica for the class: started before its first test, stopped and deleted after its last.</summary>
public sealed class ReplicaFixture : IAsyncLifetime
{
    public StreamingReplica Replica { get; private set; } = null!;

    public async Task InitializeAsync() => Replica = await StreamingReplica.StartAsync();

    public async Task DisposeAsync()
    {
        if (Replica is not null) await Replica.DisposeAsync();
    }
}
