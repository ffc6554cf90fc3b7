using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

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

        await EnsureDatabaseExistsAsync(db, cancellationToken);
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

    /// <summary>The lock needs a connection, and a connection needs the database: create it first, as MigrateAsync would.</summary>
    private static async Task EnsureDatabaseExistsAsync(TesseraDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken)) return;
        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another node created it in the same instant.
        }
    }
}
