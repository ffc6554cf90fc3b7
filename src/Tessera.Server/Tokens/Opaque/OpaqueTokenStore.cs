using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Telemetry;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// Stores and finds opaque-token rows. Inserts use group commit: requests that arrive while a transaction is being
/// written wait for the next one, which carries all of them. Each caller still returns only after its own row is
/// committed, so durability is unchanged, but under load one commit serves many tokens.
/// </summary>
internal sealed class OpaqueTokenStore : IAsyncDisposable
{
    private const int MaxBatch = 256;

    // Compiled once per store, not statically: a compiled query binds to the first provider it runs on.
    private readonly Func<TesseraDbContext, byte[], CancellationToken, Task<OpaqueToken?>> _findByHash =
        EF.CompileAsyncQuery((TesseraDbContext db, byte[] hash, CancellationToken _) =>
            db.OpaqueTokens.AsNoTracking().FirstOrDefault(t => t.Hash == hash));

    private readonly ITesseraDbContextFactory _databases;
    private readonly OpaqueTokenCache _cache;
    private readonly SharedOpaqueTokenCache _sharedCache;
    private readonly RevokedTokenHashes _revoked;
    private readonly TimeProvider _clock;
    private readonly SingleFlight<(ulong, ulong, ulong, ulong), CachedOpaqueToken?> _reads = new();
    private readonly OpaqueTokenInsert _insert = new();
    private readonly Channel<PendingInsert> _pending = Channel.CreateBounded<PendingInsert>(
        new BoundedChannelOptions(16 * MaxBatch) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _writer;

    private readonly TesseraMetrics _metrics;

    public OpaqueTokenStore(ITesseraDbContextFactory databases, OpaqueTokenCache cache, SharedOpaqueTokenCache sharedCache, RevokedTokenHashes revoked,
        TimeProvider clock, TesseraMetrics metrics)
    {
        _revoked = revoked;
        _clock = clock;
        _databases = databases;
        _cache = cache;
        _sharedCache = sharedCache;
        _metrics = metrics;
        // Not in the context of whichever request first needed the store: its span would parent every batch's.
        if (ExecutionContext.IsFlowSuppressed()) _writer = Task.Run(WriteLoopAsync);
        else using (ExecutionContext.SuppressFlow()) _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes once the row is committed; throws if the transaction that carried it failed.</summary>
    public async Task AddAsync(OpaqueToken token, CancellationToken cancellationToken)
    {
        var pending = new PendingInsert(token);
        await _pending.Writer.WriteAsync(pending, cancellationToken);
        // Once queued the row will be written whatever the caller does, so the wait is not cancellable.
        await pending.Committed.Task;
        _cache.KeepIssued(token);
    }

    /// <summary>
    /// What introspection needs of the token with a handle's hash: from this node's cache, else from the shared cache, else
    /// from the database (then kept in both); null when there is no such token or it is revoked. Concurrent misses for one
    /// token share one read.
    /// </summary>
    public async ValueTask<CachedOpaqueToken?> FindActiveAsync(byte[] hash, CancellationToken cancellationToken)
    {
        var cached = _cache.FindKeptOrIssued(hash);
        _metrics.IntrospectionCacheLookup(hit: cached is not null);
        if (cached is not null) return cached;
        if (_revoked.Contains(hash)) return null;
        return await _reads.RunAsync(HashedRowCache<CachedOpaqueToken>.Key(hash), _ => ReadAsync(hash), cancellationToken);
    }

    /// <summary>
    /// Not cancelled by any one caller: the callers waiting on it share it. A hash this node knows revoked is refused
    /// whatever the shared cache says (a node that read the row just before a revocation may share it just after).
    /// </summary>
    private async Task<CachedOpaqueToken?> ReadAsync(byte[] hash)
    {
        if (_sharedCache.Enabled && await _sharedCache.FindAsync(hash, CancellationToken.None) is { } shared)
            return shared.Token is { } token && !_revoked.Contains(hash) ? KeepUnlessRevoked(hash, _cache.Keep(hash, token)) : null;
        var row = await ReadRowAsync(hash);
        if (row is null) return null;
        var active = _cache.Keep(row);
        // A revoked row read once is not read again on this node (nor, through the shared cache, on the others).
        if (active is null) _revoked.Add(hash, row.ExpiresAt, _clock.GetUtcNow().ToUnixTimeSeconds());
        await _sharedCache.ShareAsync(row, active, CancellationToken.None);
        return KeepUnlessRevoked(hash, active);
    }

    /// <summary>
    /// The row, from the read replica when there is one; a hash the replica does not have yet is looked up on the
    /// primary, which issuance commits to before it answers — a token just issued is never called unknown for lag.
    /// </summary>
    private async Task<OpaqueToken?> ReadRowAsync(byte[] hash)
    {
        await using (var replica = _databases.CreateForLaggingReads())
        {
            var row = await _findByHash(replica, hash, CancellationToken.None);
            if (row is not null || !_databases.HasReadReplica) return row;
        }
        await using var primary = _databases.Create();
        return await _findByHash(primary, hash, CancellationToken.None);
    }

    /// <summary>
    /// A revocation that landed while the row was being read: the revoker adds the hash to the list before it removes the
    /// cache entry, and this looks at the list after the entry was kept, so one of the two removes it.
    /// </summary>
    private CachedOpaqueToken? KeepUnlessRevoked(byte[] hash, CachedOpaqueToken? kept)
    {
        if (kept is null || !_revoked.Contains(hash)) return kept;
        _cache.Remove(hash);
        return null;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingInsert>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next)) batch.Add(next);
            try
            {
                // One INSERT serves many requests: its span is a child of the first and links to the others.
                using var activity = TesseraTracing.Source.HasListeners() ? StartBatchActivity(batch) : null;
                await using var db = _databases.Create();
                await _insert.ExecuteAsync(db, batch.ConvertAll(p => p.Token), CancellationToken.None);
                foreach (var pending in batch) pending.Committed.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var pending in batch) pending.Committed.TrySetException(e);
            }
            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    /// <summary>
    /// The batch's span is a child of its first request's span (so it is sampled with that trace) and links to the
    /// others, whose traces it also served.
    /// </summary>
    private static Activity? StartBatchActivity(List<PendingInsert> batch)
    {
        var callers = batch.Where(p => p.Caller != default).Select(p => p.Caller).ToList();
        // A recorded request's span, when there is one: a batch whose first request was not sampled is still traced.
        var parent = callers.FirstOrDefault(c => c.TraceFlags.HasFlag(ActivityTraceFlags.Recorded), callers.FirstOrDefault());
        var links = callers.Where(c => c != parent).Select(c => new ActivityLink(c));
        var activity = TesseraTracing.Source.StartActivity(ActivityKind.Internal, parentContext: parent, links: links, name: "insert opaque tokens");
        activity?.SetTag("tessera.batch_size", batch.Count);
        return activity;
    }

    private sealed record PendingInsert(OpaqueToken Token)
    {
        /// <summary>The request's span, so the batch's span can link back to every request it wrote for.</summary>
        public ActivityContext Caller { get; } = Activity.Current?.Context ?? default;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
