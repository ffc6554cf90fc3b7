using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Tessera.Server.Storage;

/// <summary>Applies migrations at start. On PostgreSQL, nodes starting together take turns under an advisory lock.</summary>
internal static class SchemaMigrator
{
    // Any fixed number: it only has to be the same on every Tessera node.
    private const long AdvisoryLockKey = 0x7E55E8A_01;

    public static async Task MigrateAsync(TesseraDbContext db, CancellationToken cancellationToken)
    {
        if (db is not PostgresTesseraDbContext)
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        // EF Core's own migration lock did not stop two nodes from applying the same migration; a session-level
        // advisory lock on a separate connection makes the second node wait and then find nothing left to apply.
        await using var lockConnection = new NpgsqlConnection(db.Database.GetConnectionString());
        await lockConnection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLockKey})", lockConnection))
            await take.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLockKey})", lockConnection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
