using System.Diagnostics;
using Npgsql;

namespace Tessera.Testing;

/// <summary>
/// A real streaming replica of the test PostgreSQL (pg_basebackup, then a hot standby on a free port of 127.0.0.1).
/// Every database the tests create on the primary reaches it through the WAL, as it would in production. Disposing it
/// stops it and deletes its files (it would otherwise replay the rest of the suite's WAL); so does the test process's
/// exit, should a test run be cut short.
/// </summary>
public sealed class StreamingReplica : IAsyncDisposable
{
    private readonly int _port;
    private readonly string _directory;
    private readonly string _bin;
    private readonly bool _asPostgres;

    private StreamingReplica(int port, string directory, string bin, bool asPostgres)
    {
        _port = port;
        _directory = directory;
        _bin = bin;
        _asPostgres = asPostgres;
    }

    /// <summary>The same database, user and options as <paramref name="direct"/> (a primary's), on the replica.</summary>
    public string ConnectionStringFor(string direct) =>
        new NpgsqlConnectionStringBuilder(direct) { Host = "127.0.0.1", Port = _port }.ConnectionString;

    /// <summary>Waits until the replica has replayed the primary's WAL up to now (so a database just migrated is there).</summary>
    public async Task CatchUpAsync(string primaryAdmin)
    {
        string target;
        await using (var primary = new NpgsqlConnection(primaryAdmin))
        {
            await primary.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", primary);
            target = (string)(await command.ExecuteScalarAsync())!;
        }
        await using var replica = new NpgsqlConnection(ConnectionStringFor(primaryAdmin));
        await replica.OpenAsync();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await using var command = new NpgsqlCommand($"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", replica);
            if ((bool)(await command.ExecuteScalarAsync())!) return;
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("the replica did not catch up within 30 s");
            await Task.Delay(20);
        }
    }

    /// <summary>Stops replaying the primary's WAL (a replica lagging without end) until <see cref="ResumeReplayAsync"/>.</summary>
    public Task PauseReplayAsync(string primaryAdmin) => OnReplicaAsync(primaryAdmin, "SELECT pg_wal_replay_pause()");

    public Task ResumeReplayAsync(string primaryAdmin) => OnReplicaAsync(primaryAdmin, "SELECT pg_wal_replay_resume()");

    private async Task OnReplicaAsync(string primaryAdmin, string sql)
    {
        await using var replica = new NpgsqlConnection(ConnectionStringFor(primaryAdmin));
        await replica.OpenAsync();
        await using var command = new NpgsqlCommand(sql, replica);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Run(Stop);
    }

    private void Stop()
    {
        try
        {
            using var stop = Process.Start(Command(Path.Combine(_bin, "pg_ctl"), ["-D", _directory, "-m", "immediate", "-w", "stop"], _asPostgres));
            stop?.WaitForExit(10_000);
            if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Leftovers in the temporary directory.
        }
    }

    public static async Task<StreamingReplica> StartAsync()
    {
        var primary = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable)
            ?? throw new InvalidOperationException($"the replica tests need {TestDatabase.PostgresVariable}"));
        var bin = Environment.GetEnvironmentVariable("PG_BIN") ?? "/usr/lib/postgresql/15/bin";
        var directory = Path.Combine(Path.GetTempPath(), $"tessera-replica-{Guid.NewGuid():n}");
        Directory.CreateDirectory(directory);
        // PostgreSQL refuses a data directory others can read.
        await RunAsync("chmod", ["700", directory], asPostgres: false);
        var port = TesseraServer.FreePort();
        var root = Environment.UserName == "root";
        if (root) await RunAsync("chown", ["postgres", directory], asPostgres: false);
        await RunAsync(Path.Combine(bin, "pg_basebackup"),
            ["-h", primary.Host!, "-p", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", primary.Username ?? "postgres", "-D", directory, "-R", "-X", "stream", "-c", "fast"], root);
        await RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", directory, "-l", Path.Combine(directory, "log"), "-w", "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c hot_standby=on -c fsync=off -c max_connections=300", "start"], root);
        var replica = new StreamingReplica(port, directory, bin, root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => replica.Stop();
        return replica;
    }

    private static async Task RunAsync(string file, string[] arguments, bool asPostgres)
    {
        // pg_ctl start leaves the server running: its output is not read (the server could hold the pipe open).
        var reads = !arguments.Contains("start");
        var start = Command(file, arguments, asPostgres);
        start.RedirectStandardError = start.RedirectStandardOutput = reads;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var error = reads ? process.StandardError.ReadToEndAsync() : Task.FromResult("");
        var output = reads ? process.StandardOutput.ReadToEndAsync() : Task.FromResult("");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {await error}{await output}");
    }

    // PostgreSQL refuses to run as root (CI runs as root): its tools then run as the postgres user.
    private static ProcessStartInfo Command(string file, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardError = true, RedirectStandardOutput = true };
        if (asPostgres) foreach (var argument in new[] { "-u", "postgres", "--", file }) start.ArgumentList.Add(argument);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
