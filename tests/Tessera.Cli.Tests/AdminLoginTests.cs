using System.Text.Json.Nodes;
using Microsoft.Playwright;
using OtpNet;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Cli.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary>
/// An administrator's own session in the CLI, as the README shows: <c>tessera login --client-id admin-console --scope
/// tessera:admin:users</c> at a client marked <c>administration</c>, approved in Chromium by a user whose role holds the
/// permission. The admin API takes the session only when that sign-in gave a second factor; without one the CLI says so.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AdminLoginTests : IAsyncLifetime
{
    private const string Console = "admin-console";
    private const string Root = "root";
    private const string RootPassword = "Root-cli-pass-1";
    private TesseraServer _server = null!;

    public async Task InitializeAsync()
    {
        var import = CliServer.Import();
        import["clients"]!.AsArray().Add(new JsonObject
        {
            ["clientId"] = Console, ["public"] = true, ["administration"] = true, ["displayName"] = "Admin console",
            ["grantTypes"] = new JsonArray("urn:ietf:params:oauth:grant-type:device_code", "refresh_token"),
            ["scopes"] = new JsonArray("openid", "offline_access", "tessera:admin:users"),
        });
        import["roles"] = new JsonArray(new JsonObject { ["name"] = "user-admin", ["permissions"] = new JsonArray("tessera:admin:users") });
        import["users"]!.AsArray().Add(new JsonObject { ["username"] = Root, ["password"] = RootPassword, ["roles"] = new JsonArray("user-admin") });
        _server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, import, CliServer.Settings);
    }

    [Fact]
    public async Task An_administrator_signed_in_with_a_second_factor_lists_users_and_one_without_is_told_to_give_it()
    {
        using var withoutCode = new TesseraCli();
        var passwordOnly = await DeviceLoginInChromium.RunAsync(withoutCode, _server.Issuer, async (page, code) =>
        {
            await SignInAsync(page);
            await ApproveAsync(page, code);
        }, "--client-id", Console, "--scope", "tessera:admin:users");
        Assert.True(passwordOnly.ExitCode == 0, passwordOnly.ToString());
        var refused = await withoutCode.RunAsync("users", "list");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("This needs a sign-in with a second factor", refused.Stderr);

        using var withCode = new TesseraCli();
        var key = "";
        var login = await DeviceLoginInChromium.RunAsync(withCode, _server.Issuer, async (page, code) =>
        {
            await SignInAsync(page);
            // The authenticator set up in this session; the device approval then steps the session up with a code.
            await page.GotoAsync(_server.Issuer + "/account/security");
            await page.ClickAsync("button:has-text('Set up an authenticator app')");
            key = (await page.TextContentAsync("#authenticator-key"))!.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            await page.FillAsync("input[autocomplete=one-time-code]", Totp(key, 0));
            await page.ClickAsync("button:has-text('Turn on two-factor sign-in')");
            await Assertions.Expect(page.Locator("#recovery-codes")).ToBeVisibleAsync();
            await page.GotoAsync(_server.Issuer + "/account/sign-in/two-factor?returnUrl=%2Fdevice");
            await page.FillAsync("input[autocomplete=one-time-code]", Totp(key, 1));
            await page.ClickAsync("form:has(#code) button[type=submit]");
            await ApproveAsync(page, code);
        }, "--client-id", Console, "--scope", "tessera:admin:users");
        Assert.True(login.ExitCode == 0, login.ToString());

        var users = await withCode.RunAsync("users", "list", "--json");

        Assert.True(users.ExitCode == 0, users.ToString());
        Assert.Contains(JsonNode.Parse(users.Stdout)!.AsArray(), u => (string?)u!["username"] == Root);
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/sign-in", Chromium.Committed);
        await page.FillAsync("input[autocomplete=username]", Root);
        await page.FillAsync("input[autocomplete=current-password]", RootPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/device", Chromium.Committed);
    }

    private static async Task ApproveAsync(IPage page, string code)
    {
        if (new Uri(page.Url).AbsolutePath != "/device") await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/device", Chromium.Committed);
        await page.FillAsync("input[name=user_code]", code);
        await page.ClickAsync("button[type=submit]");
        await page.ClickAsync("button[name=decision][value=allow]");
        await Assertions.Expect(page.Locator("#outcome")).ToBeVisibleAsync();
    }

    private static string Totp(string key, int steps) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * steps));

    public async Task DisposeAsync() => await _server.DisposeAsync();
}
