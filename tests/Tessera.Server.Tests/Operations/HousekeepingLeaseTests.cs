using Tessera.Server.Housekeeping;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Two nodes on one PostgreSQL database never delete the same rows: the node whose pass finds the other's lease
/// held skips it, says so in its log and in <c>tessera.housekeeping.pass.duration</c>, and deletes nothing; once the
/// pass ends, the lease is free again.
/// </summary>
public sealed class HousekeepingLeaseTests
{
    private const int Backlog = 50_000;

    [Fact]
    public async Task While_one_node_runs_a_pass_the_other_skips_its_own_and_deletes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var probeA = new HousekeepingProbe();
        using var probeB = new HousekeepingProbe();
        // The timers stay out of the way: each pass below is asked for.
        await using var a = await TesseraServer.StartAsync(database, StandardImport(), HousekeepingProbe.Settings(new() { ["Tessera:Housekeeping:Interval"] = "01:00:00" }), probeA.Configure);
        await using var b = await TesseraServer.StartAsync(database, StandardImport(),
            HousekeepingProbe.Settings(new() { ["Tessera:Housekeeping:Interval"] = "01:00:00", ["Tessera:Issuer"] = a.Issuer }), probeB.Configure);
        probeA.Attach(a);
        probeB.Attach(b);
        await ExpiredBacklog.InsertAsync(a, Backlog);

        var passAtA = Task.Run(() => a.GetService<HousekeepingService>().RunPassAsync(CancellationToken.None));
        // A's first batch is deleted: it holds the lease, with most of the backlog still to go.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (probeA.Deleted("OpaqueTokens") == 0 && !passAtA.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(5);
        var passAtB = await b.GetService<HousekeepingService>().RunPassAsync(CancellationToken.None);
        var passAtAResult = await passAtA;

        Assert.False(passAtAResult.WasSkipped);
        Assert.True(passAtB.WasSkipped, $"B ran its pass beside A's and deleted {passAtB.Deleted} rows");
        Assert.Equal(0, passAtB.Deleted);
        Assert.Equal(0, probeB.Deleted("OpaqueTokens"));
        Assert.Equal(1, probeB.Passes("skipped"));
        Assert.Contains(probeB.LogLines, line => line.Contains("another node holds the lease", StringComparison.Ordinal));
        Assert.True(passAtAResult.Deleted >= Backlog, $"A deleted {passAtAResult.Deleted} rows");
        Assert.Equal(0, await ExpiredBacklog.RemainingAsync(a));

        // A's pass gave the lease back: B's next pass runs.
        Assert.False((await b.GetService<HousekeepingService>().RunPassAsync(CancellationToken.None)).WasSkipped);
        Assert.Equal(1, probeB.Passes("completed"));
    }
}
