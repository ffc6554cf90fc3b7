using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Tessera.Server.Storage;

/// <summary>
/// Whether an exception means the database could not be reached or would not take connections — an outage to wait out
/// or answer with 503 — rather than a failure of what it was asked (a wrong password or a bad query is not an outage).
/// EF Core wraps the provider's exception, so the inner ones are looked at too.
/// </summary>
public static class DatabaseUnavailable
{
    public static bool Is(Exception e) => e switch
    {
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.TooManyConnections
            // ALTER DATABASE … ALLOW_CONNECTIONS false: "database … is not currently accepting connections".
            || (postgres.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState && postgres.MessageText.Contains("accepting connections", StringComparison.Ordinal)),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or TimeoutException || (npgsql.InnerException is { } inner && Is(inner)),
        SocketException or TimeoutException => true,
        SqliteException => false,
        _ => e.InnerException is { } inner && Is(inner),
    };
}
