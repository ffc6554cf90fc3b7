using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.Cli.Tests.Infrastructure;

namespace Tessera.Cli.Tests;

/// <summary>What the CLI prints comes from a server; a hostile one must not get a shell to run its text.</summary>
public sealed class HostileServerTests
{
    [Fact]
    public async Task An_access_token_a_shell_would_interpret_is_not_printed_as_an_export_line()
    {
        // The attack: `eval "$(tessera token --export …)"` with a token that closes the quote and runs a command.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", (HttpContext c) =>
            Results.Json(new { issuer = Issuer(c), token_endpoint = Issuer(c) + "/connect/token" }));
        app.MapPost("/connect/token", () => Results.Json(new { access_token = "x';touch /tmp/owned;'", token_type = "Bearer", expires_in = 60 }));
        await app.StartAsync();
        using var cli = new TesseraCli();
        var secretFile = Path.Combine(cli.ConfigDirectory, "secret");
        await File.WriteAllTextAsync(secretFile, "a-client-secret-0123456789");

        var result = await cli.RunAsync("token", "--issuer", app.Urls.Single(), "--client-id", "app", "--client-secret-file", secretFile, "--export");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("export", result.Stdout);
        Assert.DoesNotContain("touch", result.Stdout);
        Assert.Contains("characters a shell would interpret", result.Stderr);
    }

    private static string Issuer(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";
}
