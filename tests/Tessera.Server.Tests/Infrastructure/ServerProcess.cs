using System.Diagnostics;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>
/// The built server (Tessera.Server.dll beside the tests) as its own process, for what only a process shows: the exit
/// code and lines of a failed start, the log of a normal one, the working directory it was started from.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process)
    {
        _process = process;
        Stdout = process.StandardOutput.ReadToEndAsync();
        Stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Everything the process writes, once it has exited.</summary>
    public Task<string> Stdout { get; }
    public Task<string> Stderr { get; }

    public int ExitCode => _process.ExitCode;

    public static ServerProcess Start(IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Tessera.Server.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return new ServerProcess(Process.Start(start)!);
    }

    /// <summary>Waits (at most 40 s) until <paramref name="path"/> on the port answers 2xx; false if it never does or the process ends.</summary>
    public async Task<bool> AnswersAsync(int port, string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 160 && !_process.HasExited; i++)
        {
            try
            {
                if ((await http.GetAsync(path)).IsSuccessStatusCode) return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        return false;
    }

    /// <summary>Waits (at most 60 s) for the process to end by itself.</summary>
    public async Task ExitAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>Ends it now (Process.Kill: SIGKILL on Linux, no graceful stop, as a crash), and waits until it has.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
