using System.Diagnostics;
using Npgsql;
using Tessera.Testing;
using Xunit.Abstractions;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// A loaded node holds no more PostgreSQL connections than its pool allows (PostgreSQL only: the bound is what keeps
/// nodes × pool under max_connections). 128 requests at a time that all read or write the database — opaque tokens
/// issued, introspection misses — while a separate connection counts the test database's sessions in pg_stat_activity.
/// </summary>
public sealed class ConnectionPoolTests(ITestOutputHelper output)
{
    private const int Concurrency = 128;
    private const int MaxRequests = 2_000;
    private static readonly TimeSpan LoadLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_node_under_128_concurrent_requests_holds_at_most_20_connections_by_default()
    {
        var peak = await PeakConnectionsUnderLoadAsync(settings: null);
        Assert.InRange(peak, 1, 20);
    }

    [Fact]
    public async Task A_configured_smaller_pool_is_respected()
    {
        var peak = await PeakConnectionsUnderLoadAsync(new Dictionary<string, string?> { ["Tessera:Database:MaxPoolSize"] = "5" });
        Assert.InRange(peak, 1, 5);
    }

    [Fact]
    public async Task The_connection_strings_maximum_pool_size_wins_over_the_setting()
    {
        var peak = await PeakConnectionsUnderLoadAsync(new Dictionary<string, string?> { ["Tessera:Database:MaxPoolSize"] = "50" },
            connectionStringSuffix: ";Maximum Pool Size=3");
        Assert.InRange(peak, 1, 3);
    }

    private async Task<int> PeakConnectionsUnderLoadAsync(Dictionary<string, string?>? settings, string connectionStringSuffix = "")
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var all = new Dictionary<string, string?>(settings ?? [])
        {
            ["Tessera:Database:ConnectionString"] = database.ConnectionString + connectionStringSuffix,
            // Every introspection goes to the database: a cached row would spare it the very reads this test loads.
            ["Tessera:Cache:OpaqueTokenCacheSize"] = "0",
        };
        await using var server = await TesseraServer.StartAsync(database, StandardImport(), all);
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);

        using var stop = new CancellationTokenSource(LoadLimit);
        var counting = CountSessionsAsync(new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!, stop.Token);
        var sent = 0;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async worker =>
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref sent) <= MaxRequests)
            {
                var response = worker % 2 == 0
                    ? await protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger")
                    : await protocol.IntrospectAsync(Other, OtherSecret, "tsr_at_" + Guid.NewGuid().ToString("n"));
                if (response.Status != 200) Interlocked.Increment(ref failures);
            }
        }));
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        var peak = await counting;
        output.WriteLine($"{Math.Min(sent, MaxRequests)} requests in {elapsed.TotalSeconds:F1} s, {failures} not 200, peak {peak} connections");
        Assert.Equal(0, failures);
        return peak;
    }

    /// <summary>The most sessions on the database seen at once, polled from a connection to another database (not counted).</summary>
    private static async Task<int> CountSessionsAsync(string databaseName, CancellationToken stop)
    {
        var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable)) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        // Client backends only: an autovacuum worker busy with the test's tables also shows the database's name (CI saw
        // "peak 4" under a pool of 3, once, with the load's inserts inviting autovacuum).
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @name AND backend_type = 'client backend'", connection);
        count.Parameters.AddWithValue("name", databaseName);
        var peak = 0;
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, (int)(long)(await count.ExecuteScalarAsync(CancellationToken.None))!);
            await Task.Delay(10, CancellationToken.None);
        }
        return peak;
    }
}
