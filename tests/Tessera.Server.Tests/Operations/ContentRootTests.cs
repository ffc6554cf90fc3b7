using System.Diagnostics;
using Tessera.Testing;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Issue 18: the published server started from another working directory (<c>dotnet /opt/tessera/Tessera.Server.dll</c>)
/// reads its own appsettings.json — before, it read none and logged every request at Information.
/// </summary>
public sealed class ContentRootTests
{
    [Fact]
    public async Task A_server_started_from_another_directory_reads_its_own_settings()
    {
        var elsewhere = Directory.CreateTempSubdirectory("tessera-cwd-").FullName;
        var port = TesseraServer.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = elsewhere, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Tessera.Server.dll"));
        foreach (var argument in new[] { "--urls", $"http://127.0.0.1:{port}", $"--Tessera:Issuer=http://127.0.0.1:{port}", "--Tessera:DataProtection:AllowUnprotected=true" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var answered = false;
            for (var i = 0; i < 120 && !answered && !process.HasExited; i++)
            {
                try { answered = (await http.GetAsync("/health/live")).IsSuccessStatusCode; }
                catch (HttpRequestException) { await Task.Delay(250); }
            }
            Assert.True(answered, "the server did not answer: " + (process.HasExited ? await stderr : "still starting"));
            await http.GetAsync("/.well-known/openid-configuration");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(elsewhere, recursive: true);
        }

        // appsettings.json keeps Microsoft.AspNetCore at Warning: no per-request lines, while Tessera's own start lines show.
        var log = await stdout;
        Assert.Contains("Issuer http://127.0.0.1:", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Request starting", log, StringComparison.Ordinal);
    }
}
