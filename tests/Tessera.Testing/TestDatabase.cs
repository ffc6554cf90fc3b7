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
