using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace Tessera.Testing;

/// <summary>
/// Debian's PgBouncer in transaction mode in front of the test PostgreSQL, started once per test process on a free port
/// of 127.0.0.1 and killed when the process exits. Databases are created and dropped directly; only the servers under
/// test connect through it.
/// </summary>
public sealed class PgBouncer
{
    public const string Binary = "/usr/sbin/pgbouncer";

    private static readonly Lazy<Task<PgBouncer>> Shared = new(StartAsync);

    private readonly int _port;

    private PgBouncer(int port) => _port = port;

    public static Task<PgBouncer> GetAsync() => Shared.Value;

    /// <summary>The same database, user and options as <paramref name="direct"/>, through PgBouncer.</summary>
    public string ConnectionStringFor(string direct) =>
        new NpgsqlConnectionStringBuilder(direct) { Host = "127.0.0.1", Port = _port }.ConnectionString;

    private static async Task<PgBouncer> StartAsync()
    {
        if (!File.Exists(Binary)) throw new InvalidOperationException($"the PgBouncer tests need {Binary} (apt-get install pgbouncer; .ci/run installs it)");
        var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable)
            ?? throw new InvalidOperationException($"PgBouncer tests need {TestDatabase.PostgresVariable}"));
        var port = TesseraServer.FreePort();
        var directory = Path.Combine(Path.GetTempPath(), $"tessera-pgbouncer-{Guid.NewGuid():n}");
        Directory.CreateDirectory(directory);
        var userList = Path.Combine(directory, "userlist.txt");
        // Trust, as the test PostgreSQL itself: the user must still be listed.
        await File.WriteAllTextAsync(userList, $"\"{admin.Username}\" \"\"\n");
        var config = Path.Combine(directory, "pgbouncer.ini");
        await File.WriteAllTextAsync(config, $"""
            [databases]
            * = host={admin.Host} port={admin.Port}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = trust
            auth_file = {userList}
            pool_mode = transaction
            max_client_conn = 2000
            default_pool_size = 20
            ; Npgsql sends it at start-up; PgBouncer refuses start-up parameters it does not know.
            ignore_startup_parameters = extra_float_digits

            """);

        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        // PgBouncer refuses to run as root (CI runs as root): it drops to the postgres user after reading its files.
        if (Environment.UserName == "root") { start.ArgumentList.Add("-u"); start.ArgumentList.Add("postgres"); }
        start.ArgumentList.Add(config);
        var process = Process.Start(start) ?? throw new InvalidOperationException("PgBouncer did not start");
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { process.Kill(); } catch (InvalidOperationException) { }
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        };

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"PgBouncer exited with {process.ExitCode}: {log}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return new PgBouncer(port);
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
        }
    }
}
