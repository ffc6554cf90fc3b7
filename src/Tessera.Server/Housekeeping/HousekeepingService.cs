using System.Diagnostics;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Hosting;
using Tessera.Server.Storage;
using Tessera.Server.Telemetry;

namespace Tessera.Server.Housekeeping;

/// <summary>
/// Deletes rows nobody needs any more (<see cref="ExpiredRowSweeps"/> says which), one node at a time
/// (<see cref="HousekeepingLease"/>). Each table's backlog is worked off in batches until a batch comes back short —
/// there is no cap a sustained load could outrun — each batch its own short statement, with a pause between batches so
/// that no lock is held long and inserts waiting on one get in.
/// </summary>
internal sealed partial class HousekeepingService(
    ITesseraDbContextFactory databases,
    IOptions<TesseraOptions> options,
    TesseraMetrics metrics,
    TimeProvider clock,
    ILogger<HousekeepingService> logger) : PeriodicService(options.Value.Housekeeping.Interval, logger)
{
    // The timer's pass and a pass asked for directly (tests, an operator's tool) never run side by side on one node.
    private readonly SemaphoreSlim _onePassAtATime = new(1, 1);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => RunPassAsync(cancellationToken);

    /// <summary>One pass; returns how many rows it deleted (0 when another node held the lease).</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) =>
        (await RunPassAsync(cancellationToken)).Deleted;

    public async Task<HousekeepingPass> RunPassAsync(CancellationToken cancellationToken)
    {
        await _onePassAtATime.WaitAsync(cancellationToken);
        try
        {
            var started = Stopwatch.GetTimestamp();
            await using var db = databases.Create();
            await using var lease = await HousekeepingLease.TryTakeAsync(db, options.Value.Database.PgBouncer, cancellationToken);
            if (lease is null)
            {
                Log.PassSkipped(logger);
                metrics.HousekeepingPass("skipped", Stopwatch.GetElapsedTime(started));
                return HousekeepingPass.Skipped;
            }

            var tables = new List<TableSweepResult>();
            foreach (var sweep in ExpiredRowSweeps.At(clock.GetUtcNow(), options.Value.Audit.Retention))
                tables.Add(await WorkOffAsync(db, sweep, cancellationToken));

            var pass = new HousekeepingPass(false, tables);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (pass.Deleted > 0) Log.PassCompleted(logger, pass.Deleted, (long)elapsed.TotalMilliseconds);
            metrics.HousekeepingPass("completed", elapsed);
            return pass;
        }
        finally
        {
            _onePassAtATime.Release();
        }
    }

    /// <summary>Deletes one table's batches until one comes back short: then nothing that had expired at the pass start is left.</summary>
    private async Task<TableSweepResult> WorkOffAsync(TesseraDbContext db, ExpiredRowSweep sweep, CancellationToken cancellationToken)
    {
        var settings = options.Value.Housekeeping;
        var started = Stopwatch.GetTimestamp();
        var deleted = 0;
        var batches = 0;
        while (true)
        {
            var batchStarted = Stopwatch.GetTimestamp();
            var rows = await sweep.DeleteBatchAsync(db, settings.BatchSize, cancellationToken);
            batches++;
            deleted += rows;
            if (rows > 0) metrics.HousekeepingDeleted(sweep.Table, rows);
            if (rows < settings.BatchSize) break;
            await Task.Delay(PauseAfter(db, Stopwatch.GetElapsedTime(batchStarted), settings.BatchPause), cancellationToken);
        }
        if (deleted > 0) Log.TableWorkedOff(logger, sweep.Table, deleted, batches, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return new TableSweepResult(sweep.Table, deleted, batches);
    }

    /// <summary>
    /// On PostgreSQL a batch locks only the rows it deletes, so inserts never wait on it: the configured pause is enough.
    /// SQLite has one writer lock, held for the whole batch, and a writer waiting on it sleeps in growing steps
    /// (busy_timeout): pausing at least as long as the batch took leaves the lock free at least half the time.
    /// </summary>
    private static TimeSpan PauseAfter(TesseraDbContext db, TimeSpan batch, TimeSpan configured) =>
        db is PostgresTesseraDbContext || batch < configured ? configured : batch;
}

/// <summary>What one pass did: skipped (another node held the lease), or every table's rows deleted.</summary>
internal sealed record HousekeepingPass(bool WasSkipped, IReadOnlyList<TableSweepResult> Tables)
{
    public static readonly HousekeepingPass Skipped = new(true, []);

    public int Deleted => Tables.Sum(t => t.Deleted);
}

/// <summary>One table's part of a pass; its backlog is empty afterwards, since the last batch came back short.</summary>
internal sealed record TableSweepResult(string Table, int Deleted, int Batches);
