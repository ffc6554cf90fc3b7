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

    private TestDatabase(string provider, string connectionString, string? postgresAdmin, string? postgresName, string? sqliteDirectory,
        bool throughPgBouncer = false)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgresAdmin = postgresAdmin;
        _postgresName = postgresName;
        _sqliteDirectory = sqliteDirectory;
        ThroughPgBouncer = throughPgBouncer;
    }

    public string Provider { get; }

    /// <summary>What the server connects with: through PgBouncer for <see cref="DatabaseKind.PgBouncer"/>.</summary>
    public string ConnectionString { get; }

    /// <summary>Whether <see cref="ConnectionString"/> names PgBouncer; the server is then started with Tessera:Database:PgBouncer.</summary>
    public bool ThroughPgBouncer { get; }

    /// <summary>The database's name on the PostgreSQL server (null for SQLite), for a test that watches its sessions.</summary>
    public string? PostgresName => _postgresName;

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
        if (kind == DatabaseKind.PgBouncer)
        {
            var bouncer = await PgBouncer.GetAsync();
            return new TestDatabase("postgres", bouncer.ConnectionStringFor(builder.ConnectionString), admin, name, null, throughPgBouncer: true);
        }
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
