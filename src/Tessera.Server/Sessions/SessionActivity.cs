using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Hosting;
using Tessera.Server.Storage;

namespace Tessera.Server.Sessions;

/// <summary>
/// Last-seen times without a database write per request: a use is noted in memory, and once per
/// minute the noted times are written, one conditional UPDATE per session that was seen.
/// </summary>
internal sealed partial class SessionActivity(
    ITesseraDbContextFactory databases,
    TimeProvider clock,
    ILogger<SessionActivity> logger) : PeriodicService(LastSeenResolution, logger)
{
    /// <summary>Last seen is for the account page: to the minute is enough, and spares a write per request.</summary>
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    // Bounded: past this many distinct sessions between two flushes, further uses wait for the next interval.
    private const int MaxPending = 100_000;
    private readonly ConcurrentDictionary<string, long> _pending = new(StringComparer.Ordinal);

    public void Record(string id)
    {
        if (_pending.Count >= MaxPending && !_pending.ContainsKey(id)) return;
        _pending[id] = clock.GetUtcNow().ToUnixTimeSeconds();
    }

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    /// <summary>A node that stops writes what it noted since the last flush, so a restart loses no last-seen time.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ShutdownFlushFailed(logger, e);
        }
    }

    /// <summary>Writes the noted uses; a later time never gets overwritten by an earlier one (several nodes write).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty) return;
        await using var db = databases.Create();
        foreach (var id in _pending.Keys.ToList())
        {
            if (!_pending.TryRemove(id, out var usedAt)) continue;
            await db.UserSessions.Where(s => s.Id == id && s.LastSeenAt < usedAt)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeenAt, usedAt), cancellationToken);
        }
    }
}
