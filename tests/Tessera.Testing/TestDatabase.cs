using Npgsql;

namespace Tessera.Testing;

/// <summary>A throw-away database for one test server: a temp SQLite file, or a fresh PostgreSQL database.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>Set by test.sh / .ci/run, which start a throw-away PostgreSQL on 127.0.0.1.</summary>
    public const string PostgresVariable = "TESSERA_TEST_POSTGRES";

    private readonly string? _postgresAdmin;
    private readonly string? _postgresName;
    private readonly string? _sqliteDirectory;

    private TestDatabase(string provider, string connectionString, string? postgresAdmin, string? postgresName, string? sqliteDirectory)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgresAdmin = postgresAdmin;
        _postgresName = postgresName;
        _sqliteDirectory = sqliteDirectory;
    }

    public string Provider { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            var directory = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("n"));
            Directory.CreateDirectory(directory);
            return new TestDatabase("sqlite", $"Data Source={Path.Combine(directory, "tessera.db")}", null, null, directory);
        }

        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrEmpty(admin))
            throw new InvalidOperationException($"PostgreSQL tests need {PostgresVariable} (a connection string to a throw-away server). Run ./test.sh, which starts one.");
        var name = "tessera_" + Guid.NewGuid().ToString("n");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase("postgres", builder.ConnectionString, admin, name, null);
    }

    /// <summary>
    /// A PostgreSQL outage for this database alone (the shared server keeps serving the other tests): new connections
    /// are refused and the open ones are ended; <paramref name="down"/> false lets connections in again.
    /// </summary>
    public async Task SetOutageAsync(bool down)
    {
        if (_postgresAdmin is null) throw new InvalidOperationException("an outage is simulated on PostgreSQL only");
        await using var connection = new NpgsqlConnection(_postgresAdmin);
        await connection.OpenAsync();
        await using (var allow = new NpgsqlCommand($"ALTER DATABASE {_postgresName} ALLOW_CONNECTIONS {(down ? "false" : "true")}", connection))
            await allow.ExecuteNonQueryAsync();
        if (!down) return;
        await using var terminate = new NpgsqlCommand(
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_postgresName}' AND pid <> pg_backend_pid()", connection);
        await terminate.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        if (_sqliteDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_sqliteDirectory, recursive: true); } catch (IOException) { }
        }
    }
}
