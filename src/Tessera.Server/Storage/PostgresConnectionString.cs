using Npgsql;
using Tessera.Server.Configuration;

namespace Tessera.Server.Storage;

/// <summary>
/// The connection string a node opens PostgreSQL with: the operator's, plus the pool's bound and automatic preparation
/// where the operator's string does not set them itself — what the string says wins. Npgsql keeps one pool per
/// connection string in the process, so every context and background job of the node shares this one pool.
/// </summary>
internal static class PostgresConnectionString
{
    /// <summary>
    /// Statements each connection keeps prepared once used five times (Npgsql's threshold). The introspection read cost
    /// PostgreSQL about half the CPU prepared (docs/deployment.md); the server runs a few dozen distinct statements.
    /// </summary>
    public const int AutoPreparedStatements = 50;

    // Npgsql's builder lists the keys a string sets under their canonical names, whichever alias the string used.
    private const string MaxPoolSizeKey = "Maximum Pool Size";
    private const string MaxAutoPrepareKey = "Max Auto Prepare";
    private const string NoResetOnCloseKey = "No Reset On Close";

    public static string For(DatabaseOptions database) => For(database, database.ConnectionString);

    /// <summary>The same settings applied to another server's string (the read replica's).</summary>
    public static string For(DatabaseOptions database, string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var set = builder.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!set.Contains(MaxPoolSizeKey)) builder.MaxPoolSize = database.MaxPoolSize;
        // A prepared statement lives in one PostgreSQL session, and PgBouncer in transaction mode (before 1.21) hands
        // the next transaction another one: "prepared statement "_auto1" does not exist".
        if (!set.Contains(MaxAutoPrepareKey)) builder.MaxAutoPrepare = database.PgBouncer ? 0 : AutoPreparedStatements;
        // Npgsql resets a connection it takes from the pool (with prepared statements kept: seven statements — RESET ALL,
        // CLOSE ALL, UNLISTEN *, pg_advisory_unlock_all() …) in front of the first query: PostgreSQL ran seven statements
        // for every one of ours (bench/RESULTS.md, "Database cost"). Tessera leaves no session state behind — no SET, no
        // LISTEN, no cursor or temporary table; housekeeping's advisory lock is given back, or its connection dropped —
        // so there is nothing to reset. Behind PgBouncer a reset would reach whichever session it lent anyway.
        if (!set.Contains(NoResetOnCloseKey)) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }
}
