using System.Diagnostics;
using Npgsql;
using Tessera.Testing;
using Xunit.Abstractions;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Why Tessera:Database:PgBouncer exists: Debian's PgBouncer (1.18) in transaction mode hands each transaction whichever
/// PostgreSQL session is free, and a statement Npgsql prepared automatically lives in one session only. The same load —
/// opaque tokens issued and introspected, 32 at a time — runs clean with the switch on and fails requests with it off.
/// </summary>
public sealed class PgBouncerTransactionModeTests(ITestOutputHelper output)
{
    private const int Concurrency = 32;
    private const int MaxRequests = 2_000;
    private static readonly TimeSpan LoadLimit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task With_the_switch_on_every_request_succeeds_through_pgbouncer()
    {
        var failures = await FailuresUnderLoadAsync(pgBouncerSwitch: true);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task With_automatic_preparation_left_on_requests_fail_through_pgbouncer()
    {
        var failures = await FailuresUnderLoadAsync(pgBouncerSwitch: false);
        Assert.NotEmpty(failures);
    }

    private async Task<List<string>> FailuresUnderLoadAsync(bool pgBouncerSwitch)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PgBouncer);
        var failures = new List<string>();
        TesseraServer server;
        try
        {
            server = await TesseraServer.StartAsync(database, StandardImport(), new Dictionary<string, string?>
            {
                ["Tessera:Database:PgBouncer"] = pgBouncerSwitch ? "true" : "false",
                // Every introspection reads the database, so the same statements run often enough to be prepared.
                ["Tessera:Cache:OpaqueTokenCacheSize"] = "0",
            });
        }
        catch (PostgresException e) when (!pgBouncerSwitch)
        {
            // The breakage can come as early as the start's own import (seen in CI: "_auto0" already exists): the
            // node never serves, which is the failure this test shows.
            failures.Add($"while starting: {e.SqlState} {e.MessageText}");
            return failures;
        }
        try
        {
            using var http = server.CreateClient();
            var protocol = new ProtocolClient(http);

            using var stop = new CancellationTokenSource(LoadLimit);
            var sent = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
            {
                while (!stop.IsCancellationRequested && Interlocked.Increment(ref sent) <= MaxRequests / 2)
                {
                    var issued = await protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger");
                    var introspected = issued.Status == 200 ? await protocol.IntrospectAsync(Other, OtherSecret, (string)issued.Json["access_token"]!) : issued;
                    foreach (var response in new[] { issued, introspected }.Distinct())
                        if (response.Status != 200) lock (failures) failures.Add($"{response.Status} {response.Json.ToJsonString()}");
                }
            }));
            output.WriteLine($"{Math.Min(sent, MaxRequests / 2) * 2} requests in {clock.Elapsed.TotalSeconds:F1} s, {failures.Count} failed"
                + (failures.Count > 0 ? $", first: {failures[0]}" : ""));
        }
        finally
        {
            try
            {
                await server.DisposeAsync();
            }
            catch (PostgresException e) when (!pgBouncerSwitch)
            {
                // The same breakage can also reach a job that runs while the node stops (its last flush): one more failure.
                failures.Add($"while stopping: {e.SqlState} {e.MessageText}");
            }
        }
        return failures;
    }
}
