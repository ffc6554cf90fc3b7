using System.Diagnostics;
using System.Text;

namespace Tessera.Cli.Tests.Infrastructure;

/// <summary>What one run of the CLI left behind.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>
/// Runs the built <c>tessera</c> as a separate process (<c>dotnet tessera.dll</c>), with its own configuration
/// directory (TESSERA_CONFIG_DIR) so runs never touch the real user's credentials.
/// </summary>
public sealed class TesseraCli : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public TesseraCli()
    {
        ConfigDirectory = Path.Combine(Path.GetTempPath(), "tessera-cli-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(ConfigDirectory);
    }

    public string ConfigDirectory { get; }
    public string CredentialsFile => Path.Combine(ConfigDirectory, "credentials.json");
    public Dictionary<string, string?> Environment { get; } = new();

    /// <summary>The CLI built beside this test project (same configuration), found from the repository root.</summary>
    public static string DllPath
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Tessera.slnx"))) directory = directory.Parent;
            var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("repository root not found"),
                "src", "Tessera.Cli", "bin", configuration, "net10.0", "tessera.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"the CLI is not built: {path}");
        }
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    public async Task<CliResult> RunWithInputAsync(string? stdin, params string[] args)
    {
        using var process = Start(args);
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tessera {string.Join(' ', args)} ran longer than {Timeout}");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the CLI for a conversation: the caller reads its output while it runs (device login).</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["TESSERA_CONFIG_DIR"] = ConfigDirectory;
        foreach (var name in new[] { "TESSERA_TOKEN", "TESSERA_ISSUER", "TESSERA_CLIENT_ID", "TESSERA_CLIENT_SECRET" }) info.Environment.Remove(name);
        foreach (var (name, value) in Environment) info.Environment[name] = value;
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(ConfigDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a killed process: the temp folder is cleaned another day.
        }
    }
}
