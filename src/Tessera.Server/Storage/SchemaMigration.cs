using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
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
                // On a new database EF Core reads the history table before creating it, and logs that failed query at
                // Error although it handles it: an operator must see no fail line on a normal first start.
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
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

    /// <summary>
    /// The lock needs a connection, and a connection needs the database: create it first, as MigrateAsync would. Through
    /// a plain connection to the maintenance database, not EF Core's creator: two nodes starting together race to create
    /// it, and EF Core would log the loser's handled "already exists" at Error.
    /// </summary>
    private static async Task EnsureDatabaseExistsAsync(TesseraDbContext db, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        // Npgsql's own default: without a Database, the one named like the user.
        var name = target.Database ?? target.Username ?? "postgres";
        var maintenance = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection))
        {
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null) return;
        }
        try
        {
            // An identifier cannot be a parameter; quoted, with any quote inside doubled.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another node created it in the same instant.
        }
    }
}
