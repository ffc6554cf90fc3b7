using System.Diagnostics;
using System.Net.Sockets;

namespace Tessera.Testing;

/// <summary>
/// Debian's redis-server on a free port of 127.0.0.1, without persistence, one per test that needs it (a test stops it
/// to see what a node does without Redis). Killed when disposed or when the test process exits.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/redis-server";

    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string a node is given (Tessera:Cache:Redis).</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        if (!File.Exists(Binary)) throw new InvalidOperationException($"the shared-cache tests need {Binary} (apt-get install redis-server; .ci/run installs it)");
        var redis = new RedisServer(TesseraServer.FreePort());
        await redis.RestartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => redis.Kill();
        return redis;
    }

    /// <summary>Starts it again on the same port (empty: nothing is saved) after <see cref="Stop"/>.</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes" })
            start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Kills it, as a crash or a network partition would look to the nodes.</summary>
    public void Stop() => Kill();

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false }) { _process.Kill(); _process.WaitForExit(5000); }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
