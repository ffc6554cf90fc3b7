using System.Diagnostics;
using Tessera.Cli.Tests.Infrastructure;

namespace Tessera.Cli.Tests;

/// <summary>The README's install: <c>dotnet pack</c> the CLI, then <c>dotnet tool install</c> it from that folder and run it.</summary>
public sealed class PackagedToolTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "tessera-tool-install", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task The_packed_tool_installs_and_runs_as_tessera()
    {
        var project = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(TesseraCli.DllPath)!, "..", "..", "..", "Tessera.Cli.csproj"));
        var configuration = TesseraCli.DllPath.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";

        await RunAsync("dotnet", "pack", project, "-c", configuration, "--no-build", "-o", Path.Combine(_work, "artifacts"));
        await RunAsync("dotnet", "tool", "install", "--tool-path", Path.Combine(_work, "tools"), "--add-source", Path.Combine(_work, "artifacts"), "Tessera.Cli", "--version", "0.1.0");
        var (exit, output) = await RunAsync(Path.Combine(_work, "tools", "tessera"), "decode", "--json", "tsr_at_abc");

        Assert.Equal(0, exit);
        Assert.Contains("Tessera opaque access token", output);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        var output = await stdout + await stderr;
        if (process.ExitCode != 0 && file == "dotnet") throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed:\n{output}");
        return (process.ExitCode, output);
    }

    public void Dispose()
    {
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }
}
