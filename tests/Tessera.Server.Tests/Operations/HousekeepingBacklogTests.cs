using System.Diagnostics;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Housekeeping keeps up: there is no cap on a pass that a sustained load could outrun. A backlog far deeper than a
/// hundred batches (the cap it once had) is worked off by the timer's first pass, the pause between batches being
/// milliseconds — and what it deleted shows in the log and in <c>tessera.housekeeping.deleted</c>.
/// </summary>
public abstract class HousekeepingBacklogTests(DatabaseKind kind)
{
    private const int Backlog = 100_000;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task A_backlog_of_100000_rows_is_gone_within_12_seconds_with_batches_of_100_every_5_seconds()
    {
        using var probe = new HousekeepingProbe();
        var settings = HousekeepingProbe.Settings(new()
        {
            ["Tessera:Housekeeping:BatchSize"] = "100",
            ["Tessera:Housekeeping:Interval"] = "00:00:05",
        });
        await using var server = await TesseraServer.StartAsync(kind, TestClients.StandardImport(), settings, probe.Configure);
        probe.Attach(server);

        await ExpiredBacklog.InsertAsync(server, Backlog);
        var inserted = Stopwatch.StartNew();
        long remaining;
        while ((remaining = await ExpiredBacklog.RemainingAsync(server)) > 0 && inserted.Elapsed < Limit)
            await Task.Delay(250);

        Assert.True(remaining == 0, $"{remaining} of {Backlog} expired rows were left after {inserted.Elapsed.TotalSeconds:0.0} s; log: {string.Join(" | ", probe.LogLines)}");
        Assert.True(probe.Deleted("OpaqueTokens") >= Backlog, $"tessera.housekeeping.deleted counted {probe.Deleted("OpaqueTokens")} OpaqueTokens rows");
        // The table's line follows its last, short batch, a moment after the last rows went.
        var line = await probe.LogLineAsync("rows from OpaqueTokens in");
        Assert.EndsWith("backlog left 0", line, StringComparison.Ordinal);
    }
}

[Collection(AloneCollection.Name)]
public sealed class HousekeepingBacklogTests_Sqlite() : HousekeepingBacklogTests(DatabaseKind.Sqlite);

[Collection(AloneCollection.Name)]
public sealed class HousekeepingBacklogTests_Postgres() : HousekeepingBacklogTests(DatabaseKind.Postgres);
