using Microsoft.EntityFrameworkCore;

namespace Tessera.Server.Storage;

/// <summary>
/// Applies pending migrations, one node at a time. On PostgreSQL, EF Core's own migration lock did not stop two
/// nodes starting together from both applying the second migration ("column already exists"), so a session-level
/// advisory lock is held around the whole run; the node that waited then finds nothing left to apply.
/// </summary>
internal static class SchemaMigration
{
    // An arbitrary constant, the same on every node: "tessera" in ASCII.
    private const long AdvisoryLockKey = 0x74657373657261;

    public static async Task MigrateAsync(TesseraDbContext db, CancellationToken cancellationToken)
    {
        if (db is not PostgresTesseraDbContext)
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
