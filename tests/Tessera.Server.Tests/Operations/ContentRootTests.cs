using Tessera.Server.Tests.Infrastructure;
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
        using var server = ServerProcess.Start(
            ["--urls", $"http://127.0.0.1:{port}", $"--Tessera:Issuer=http://127.0.0.1:{port}", "--Tessera:DataProtection:AllowUnprotected=true"],
            workingDirectory: elsewhere);
        try
        {
            Assert.True(await server.AnswersAsync(port, "/health/live"), "the server did not answer");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await http.GetAsync("/.well-known/openid-configuration");
        }
        finally
        {
            await server.StopAsync();
            Directory.Delete(elsewhere, recursive: true);
        }

        // appsettings.json keeps Microsoft.AspNetCore at Warning: no per-request lines, while Tessera's own start lines show.
        var log = await server.Stdout;
        Assert.Contains("Issuer http://127.0.0.1:", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Request starting", log, StringComparison.Ordinal);
    }
}
