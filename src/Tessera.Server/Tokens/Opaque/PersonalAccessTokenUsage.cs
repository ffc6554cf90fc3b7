using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Hosting;
using Tessera.Server.Storage;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// Last-used times without a database write per request: a use is noted in memory, and once per
/// <c>LastUsedResolution</c> the noted times are written, one conditional UPDATE per token that was used.
/// </summary>
internal sealed partial class PersonalAccessTokenUsage(
    ITesseraDbContextFactory databases,
    IOptions<TesseraOptions> options,
    TimeProvider clock,
    ILogger<PersonalAccessTokenUsage> logger) : PeriodicService(options.Value.PersonalAccessTokens.LastUsedResolution, logger)
{
    // Bounded: past this many distinct tokens between two flushes, further uses wait for the next interval.
    private const int MaxPending = 100_000;
    private readonly ConcurrentDictionary<string, long> _pending = new(StringComparer.Ordinal);

    public void Record(string id)
    {
        if (_pending.Count >= MaxPending && !_pending.ContainsKey(id)) return;
        _pending[id] = clock.GetUtcNow().ToUnixTimeSeconds();
    }

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    /// <summary>A node that stops writes what it noted since the last flush, so a restart loses no last-used time.</summary>
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
            await db.PersonalAccessTokens.Where(t => t.Id == id && (t.LastUsedAt == null || t.LastUsedAt < usedAt))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, usedAt), cancellationToken);
        }
    }
}
