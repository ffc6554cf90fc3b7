using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tessera.Server.Storage;

namespace Tessera.Server.Housekeeping;

/// <summary>
/// One node's right to run a housekeeping pass. On PostgreSQL it is a session-level advisory lock, taken without
/// waiting: a node that does not get it skips its pass, because another node is already deleting the same rows. The
/// lock belongs to the connection that took it, so that connection stays open for the whole pass (the pass's deletes
/// run on it too) and gives the lock back before it returns to the pool; if the node dies, PostgreSQL ends the session
/// and the lock goes with it. No transaction spans the pass: every batch commits on its own.
/// <para>
/// On SQLite no lease is taken. The database is a file that one server process opens; should two processes share it,
/// SQLite lets one writer at a time in, so their batches alternate instead of deleting the same rows twice — the
/// second finds them gone.
/// </para>
/// <para>
/// Behind PgBouncer in transaction mode (<c>Tessera:Database:PgBouncer</c>) no lease is taken either: a session's lock
/// would stay on whichever server connection PgBouncer lent for the statement, and the unlock could reach another one,
/// leaving the lock held for good and every node skipping every pass. Each node then runs its own passes; the deletes
/// are idempotent, and a node whose batch finds the rows gone ends that table's sweep early.
/// </para>
/// </summary>
internal sealed class HousekeepingLease : IAsyncDisposable
{
    // "tessera" in ASCII followed by 1: the same on every node, and not SchemaMigration's key (which is "tessera").
    // Advisory locks are per database, so clusters on other databases of the same server do not share it.
    private const long AdvisoryLockKey = 0x74657373657261_01;

    private readonly TesseraDbContext? _lockHolder;

    private HousekeepingLease(TesseraDbContext? lockHolder) => _lockHolder = lockHolder;

    /// <summary>The lease, or null when another node holds it.</summary>
    public static async Task<HousekeepingLease?> TryTakeAsync(TesseraDbContext db, bool behindPgBouncer, CancellationToken cancellationToken)
    {
        if (db is not PostgresTesseraDbContext || behindPgBouncer) return new HousekeepingLease(null);

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var taken = await db.Database
                .SqlQueryRaw<bool>($"SELECT pg_try_advisory_lock({AdvisoryLockKey}) AS \"Value\"")
                .SingleAsync(cancellationToken);
            if (taken) return new HousekeepingLease(db);
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
        await db.Database.CloseConnectionAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_lockHolder is null) return;
        try
        {
            // Not cancellable: the pass may be ending because the node is stopping, and the lock must still go back.
            await _lockHolder.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
        catch
        {
            // Pooled connections are not reset (Storage/PostgresConnectionString): a session still holding the lock must
            // not go back to the pool, or every node would skip housekeeping for as long as it lives there.
            if (_lockHolder.Database.GetDbConnection() is NpgsqlConnection connection) NpgsqlConnection.ClearPool(connection);
            throw;
        }
        finally
        {
            await _lockHolder.Database.CloseConnectionAsync();
        }
    }
}
