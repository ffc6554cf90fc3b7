using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;

namespace Tessera.Server.Tokens;

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
    private readonly Channel<PendingInsert> _pending = Channel.CreateBounded<PendingInsert>(
        new BoundedChannelOptions(16 * MaxBatch) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _writer;

    public OpaqueTokenStore(ITesseraDbContextFactory databases)
    {
        _databases = databases;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes once the row is committed; throws if the transaction that carried it failed.</summary>
    public async Task AddAsync(OpaqueToken token, CancellationToken cancellationToken)
    {
        var pending = new PendingInsert(token);
        await _pending.Writer.WriteAsync(pending, cancellationToken);
        // Once queued the row will be written whatever the caller does, so the wait is not cancellable.
        await pending.Committed.Task;
    }

    public async Task<OpaqueToken?> FindAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var db = _databases.Create();
        return await _findByHash(db, hash, cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingInsert>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next)) batch.Add(next);
            try
            {
                await using var db = _databases.Create();
                db.OpaqueTokens.AddRange(batch.Select(p => p.Token));
                await db.SaveChangesAsync();
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

    private sealed record PendingInsert(OpaqueToken Token)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
