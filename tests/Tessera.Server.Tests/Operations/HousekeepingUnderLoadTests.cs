using System.Diagnostics;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Housekeeping on PostgreSQL under load: half a million expired opaque tokens go within two passes of the timer
/// while a client keeps asking for opaque tokens, and no token request waits on it for more than 100 ms — every
/// batch is its own short DELETE, which locks only the rows it deletes.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class HousekeepingUnderLoadTests
{
    private const int Backlog = 500_000;
    private static readonly TimeSpan SlowestAllowed = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_backlog_of_500000_expired_opaque_tokens_is_gone_within_two_passes_while_tokens_are_issued_each_within_100_ms()
    {
        using var probe = new HousekeepingProbe();
        var settings = HousekeepingProbe.Settings(new() { ["Tessera:Housekeeping:Interval"] = "00:00:01" });
        await using var server = await TesseraServer.StartAsync(DatabaseKind.Postgres, StandardImport(), settings, probe.Configure);
        probe.Attach(server);
        var protocol = new ProtocolClient(server.CreateClient());
        // Warm: the first requests pay for compilation and the connection pool, not for housekeeping.
        for (var i = 0; i < 50; i++) await IssueOpaqueTokenAsync(protocol);
        var withoutHousekeeping = await IssueForAsync(protocol, TimeSpan.FromSeconds(1), CancellationToken.None);

        await ExpiredBacklog.InsertAsync(server, Backlog);
        // A pass running while the INSERT committed may have passed the table already: it counts as the first of two.
        var passesBefore = probe.Passes("completed");
        var running = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var load = IssueForAsync(protocol, Bound, stop.Token);
        while (probe.Passes("completed") < passesBefore + 2 && running.Elapsed < Bound) await Task.Delay(50);
        var remaining = await ExpiredBacklog.RemainingAsync(server);
        await stop.CancelAsync();
        var latencies = await load;

        Assert.True(remaining == 0,
            $"{remaining} of {Backlog} rows left after {probe.Passes("completed") - passesBefore} passes in {running.Elapsed.TotalSeconds:0.0} s");
        Assert.True(probe.Deleted("OpaqueTokens") >= Backlog, $"tessera.housekeeping.deleted counted {probe.Deleted("OpaqueTokens")} OpaqueTokens rows");
        Assert.True(latencies.Count > 100, $"only {latencies.Count} tokens were issued while housekeeping ran");
        Assert.True(latencies[^1] <= SlowestAllowed,
            $"while housekeeping ran, {Describe(latencies)}; before it, {Describe(withoutHousekeeping)}");
    }

    /// <summary>Issues opaque tokens one after another for <paramref name="duration"/> or until stopped; each request's time, sorted.</summary>
    private static async Task<List<TimeSpan>> IssueForAsync(ProtocolClient protocol, TimeSpan duration, CancellationToken stop)
    {
        var latencies = new List<TimeSpan>();
        var running = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested && running.Elapsed < duration && latencies.Count < 100_000)
        {
            var request = Stopwatch.StartNew();
            await IssueOpaqueTokenAsync(protocol);
            latencies.Add(request.Elapsed);
        }
        latencies.Sort();
        return latencies;
    }

    private static string Describe(List<TimeSpan> sorted) =>
        $"the slowest of {sorted.Count} token requests took {sorted[^1].TotalMilliseconds:0} ms " +
        $"(median {sorted[sorted.Count / 2].TotalMilliseconds:0.0} ms, 99th percentile {sorted[sorted.Count * 99 / 100].TotalMilliseconds:0.0} ms)";

    private static async Task IssueOpaqueTokenAsync(ProtocolClient protocol)
    {
        var response = await protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger");
        Assert.Equal(200, response.Status);
    }
}
