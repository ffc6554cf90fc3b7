using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Cli.Tests.Infrastructure;

namespace Tessera.Cli.Tests;

/// <summary>
/// <c>tessera login --browser</c>: the authorization code flow with PKCE; the CLI listens on a loopback port it picks
/// at run time (RFC 8252 §7.3), and Chromium signs in, consents and is sent back to it.
/// </summary>
public sealed partial class BrowserLoginTests(CliServerFixture fixture) : IClassFixture<CliServerFixture>
{
    [Fact]
    public async Task Browser_login_returns_to_the_cli_on_a_loopback_port_and_stores_the_session()
    {
        using var cli = new TesseraCli();
        using var process = cli.Start("login", "--issuer", fixture.Issuer, "--browser", "--no-open");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        string? url = null;
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (url is null && await process.StandardError.ReadLineAsync(deadline.Token) is { } line)
                if (Address().Match(line) is { Success: true } match) url = match.Groups[1].Value;
        }
        Assert.NotNull(url);
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.Matches(@"redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fcallback", url);
        Assert.Contains("code_challenge_method=S256", url);

        await using var chromium = await Chromium.LaunchAsync();
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(url);
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/account/sign-in", Chromium.Committed);
            await page.FillAsync("input[autocomplete=username]", CliServer.Alice);
            await page.FillAsync("input[autocomplete=current-password]", CliServer.AlicePassword);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/consent", Chromium.Committed);
            await page.ClickAsync("button[name=decision][value=allow]");
            // Committed is enough: the CLI answers once and stops listening, so the page's load event is not what counts.
            await page.WaitForURLAsync(u => new Uri(u).Host == "127.0.0.1" && new Uri(u).AbsolutePath == "/callback",
                new() { WaitUntil = WaitUntilState.Commit });
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Signed in.");
        });

        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(exit.Token);
        Assert.True(process.ExitCode == 0, await stdout + await stderr);
        var stored = JsonNode.Parse(await File.ReadAllTextAsync(cli.CredentialsFile))!;
        Assert.StartsWith("tsr_rt_", (string?)stored["refresh_token"]);
        var token = await cli.RunAsync("token");
        Assert.Equal(0, token.ExitCode);
    }

    [GeneratedRegex(@"Open this address to sign in: (\S+)")]
    private static partial Regex Address();
}
