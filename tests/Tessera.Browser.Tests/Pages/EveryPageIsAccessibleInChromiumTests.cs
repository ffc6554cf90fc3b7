using Microsoft.Playwright;
using OtpNet;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Browser.Tests.Pages.PagesFixture;

namespace Tessera.Browser.Tests.Pages;

/// <summary>
/// Issue 20, WCAG 2.2 AA: every page a person sees, in each culture and at a laptop's and a phone's size, has no serious
/// or critical axe-core violation in the light or the dark scheme, and a failed post leaves the focus on the error
/// summary with the fields marked invalid. Screenshots of every page land in <see cref="PageAudit.ScreenshotDirectory"/>.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class EveryPageIsAccessibleInChromiumTests(PagesFixture fixture) : IClassFixture<PagesFixture>
{
    public static TheoryData<string, int, int> Rows => PageRows.All();

    private string Issuer => fixture.Server.Issuer;

    [Theory, MemberData(nameof(Rows))]
    public Task Sign_in_and_sign_in_after_a_wrong_password(string culture, int width, int height) =>
        VisitAsync(culture, width, height, async page =>
        {
            await page.GotoAsync(Issuer + "/account/sign-in");
            await PageAudit.AssertAccessibleAsync(page, "sign-in", culture);

            await SignInAsync(page, "nobody", "not-the-password");
            await AssertErrorSummaryFocusedAsync(page, "#problem", "#username", "#password");
            await PageAudit.AssertAccessibleAsync(page, "sign-in-failed", culture);
        });

    [Theory, MemberData(nameof(Rows))]
    public Task Register_and_register_with_a_taken_username(string culture, int width, int height) =>
        VisitAsync(culture, width, height, async page =>
        {
            await page.GotoAsync(Issuer + "/account/register");
            await PageAudit.AssertAccessibleAsync(page, "register", culture);

            await page.FillAsync("#username", Reader);
            await page.FillAsync("#password", SignInFixture.Password);
            await page.ClickAsync("form:has(#password) button[type=submit]");
            await AssertErrorSummaryFocusedAsync(page, "#problems", "#username");
            await PageAudit.AssertAccessibleAsync(page, "register-failed", culture);

            // A new account with an address: the mailed link opens the e-mail confirmation page.
            var newcomer = $"newcomer-{culture.ToLowerInvariant()}-{width}";
            await page.FillAsync("#username", newcomer);
            await page.FillAsync("#email", SignInFixture.EmailOf(newcomer));
            await page.FillAsync("#password", SignInFixture.Password);
            await page.ClickAsync("form:has(#password) button[type=submit]");
            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath != "/account/register");
            await page.GotoAsync(SmtpInbox.LinkIn(await fixture.Inbox.WaitForAsync(SignInFixture.EmailOf(newcomer)), Issuer).ToString());
            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath == "/account/confirm-email");
            await PageAudit.AssertAccessibleAsync(page, "confirm-email", culture);
        });

    [Theory, MemberData(nameof(Rows))]
    public Task Forgot_password_the_link_sent_and_the_reset_page(string culture, int width, int height) =>
        VisitAsync(culture, width, height, async page =>
        {
            var email = SignInFixture.EmailOf(ForgetfulUser(culture, width));
            await page.GotoAsync(Issuer + "/account/forgot-password");
            await PageAudit.AssertAccessibleAsync(page, "forgot-password", culture);

            await page.FillAsync("#email", email);
            await page.ClickAsync("form:has(#email) button[type=submit]");
            await Assertions.Expect(page.Locator("#notice")).ToBeVisibleAsync();
            await PageAudit.AssertAccessibleAsync(page, "forgot-password-sent", culture);

            await page.GotoAsync(SmtpInbox.LinkIn(await fixture.Inbox.WaitForAsync(email), Issuer).ToString());
            await Assertions.Expect(page.Locator("#newPassword")).ToBeVisibleAsync();
            await PageAudit.AssertAccessibleAsync(page, "reset-password", culture);
        });

    [Theory, MemberData(nameof(Rows))]
    public async Task Account_security_tokens_identities_and_sign_out(string culture, int width, int height)
    {
        using var client = new OidcTestClient(fixture.Server, fixture.Callback.RedirectUri, WebClientId, WebClientSecret);
        var request = await client.NewAuthorizationRequestAsync("openid profile");
        await VisitAsync(culture, width, height, async page =>
        {
            await page.GotoAsync(Issuer + "/account/security");
            await SignInAsync(page, Reader, SignInFixture.Password);
            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath == "/account/security");
            await PageAudit.AssertAccessibleAsync(page, "security", culture);

            // An application allowed (the consent page unless another row allowed it already), so the account lists one.
            await page.GotoAsync(request.Url);
            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath == "/consent" || url.StartsWith(fixture.Callback.RedirectUri.ToString(), StringComparison.Ordinal));
            if (new Uri(page.Url).AbsolutePath == "/consent") await page.ClickAsync("button[name=decision][value=allow]");
            await Chromium.ArrivedAsync(page, url => url.StartsWith(fixture.Callback.RedirectUri.ToString(), StringComparison.Ordinal));

            await page.GotoAsync(Issuer + "/account");
            await Assertions.Expect(page.Locator("#sessions")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#grants li")).Not.ToHaveCountAsync(0);
            await PageAudit.AssertAccessibleAsync(page, "account", culture);

            await page.GotoAsync(Issuer + "/account/tokens");
            await PageAudit.AssertAccessibleAsync(page, "tokens", culture);
            // The new token shown once, and the table of tokens (six columns, which must fit a phone).
            await page.FillAsync("input[name=name]", $"audit {culture} {width}");
            await page.CheckAsync("input[name=scopes][value=message]");
            await page.ClickAsync("form:has(input[name=name]) button[type=submit]");
            await Assertions.Expect(page.Locator("#new-token")).ToBeVisibleAsync();
            await PageAudit.AssertAccessibleAsync(page, "tokens-created", culture);
            // The copy button (copy.js) puts exactly the token shown on the clipboard, and says so.
            await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
            await page.ClickAsync("button[data-copy=new-token]");
            await Assertions.Expect(page.Locator("#copy-status")).Not.ToBeEmptyAsync();
            Assert.Equal((await page.TextContentAsync("#new-token"))!.Trim(), await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

            await page.GotoAsync(Issuer + "/account/identities");
            await PageAudit.AssertAccessibleAsync(page, "identities", culture);

            await page.GotoAsync(Issuer + "/account/sign-out");
            await PageAudit.AssertAccessibleAsync(page, "sign-out", culture);
            await page.ClickAsync("main button[type=submit]");
            await Assertions.Expect(page.Locator("main form")).ToHaveCountAsync(0);
            await PageAudit.AssertAccessibleAsync(page, "signed-out", culture);
        });
    }

    /// <summary>Turning on an authenticator (its setup and the recovery codes), then the code page and a wrong code.</summary>
    [Theory, MemberData(nameof(Rows))]
    public Task Authenticator_setup_and_the_two_factor_code_page(string culture, int width, int height) =>
        VisitAsync(culture, width, height, async page =>
        {
            await page.GotoAsync(Issuer + "/account/security");
            await SignInAsync(page, TwoFactorUser(culture, width), SignInFixture.Password);
            await page.ClickAsync("form[action*=\"handler=setup\"] button[type=submit]");
            await Assertions.Expect(page.Locator("#authenticator-qr svg")).ToBeVisibleAsync();
            await PageAudit.AssertAccessibleAsync(page, "security-authenticator-setup", culture);

            var key = (await page.TextContentAsync("#authenticator-key"))!.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            await page.FillAsync("#code", new Totp(Base32Encoding.ToBytes(key)).ComputeTotp());
            await page.ClickAsync("form:has(#code) button[type=submit]");
            await Assertions.Expect(page.Locator("#recovery-codes")).ToBeVisibleAsync();
            await PageAudit.AssertAccessibleAsync(page, "security-recovery-codes", culture);

            await page.GotoAsync(Issuer + "/account/sign-out");
            await page.ClickAsync("main button[type=submit]");
            await Assertions.Expect(page.Locator("main form")).ToHaveCountAsync(0);

            await page.GotoAsync(Issuer + "/account/security");
            await SignInAsync(page, TwoFactorUser(culture, width), SignInFixture.Password);
            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath == "/account/sign-in/two-factor");
            await PageAudit.AssertAccessibleAsync(page, "two-factor", culture);

            // Six digits no authenticator shows now: a valid code for a step an hour away.
            await page.FillAsync("#code", new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow.AddHours(1)));
            await page.ClickAsync("form:has(#code) button[type=submit]");
            await AssertErrorSummaryFocusedAsync(page, "#problem", "#code");
            await PageAudit.AssertAccessibleAsync(page, "two-factor-failed", culture);
        });

    [Theory, MemberData(nameof(Rows))]
    public async Task Consent(string culture, int width, int height)
    {
        using var client = new OidcTestClient(fixture.Server, fixture.Callback.RedirectUri, WebClientId, WebClientSecret);
        var request = await client.NewAuthorizationRequestAsync("openid profile email message");
        await VisitAsync(culture, width, height, async page =>
        {
            await page.GotoAsync(request.Url);
            await SignInAsync(page, Reader, SignInFixture.Password);
            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath == "/consent");
            await PageAudit.AssertAccessibleAsync(page, "consent", culture);
        });
    }

    [Theory, MemberData(nameof(Rows))]
    public async Task Device_code_entry_a_wrong_code_and_confirmation(string culture, int width, int height)
    {
        using var http = fixture.Server.CreateClient();
        var device = await new ProtocolClient(http).PostAsync("/connect/device", null, ("client_id", DeviceClientId), ("scope", "openid profile"));
        Assert.Equal(200, device.Status);
        var userCode = (string)device.Json["user_code"]!;
        await VisitAsync(culture, width, height, async page =>
        {
            await page.GotoAsync((string)device.Json["verification_uri"]!);
            await SignInAsync(page, Reader, SignInFixture.Password);
            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath == "/device");
            await PageAudit.AssertAccessibleAsync(page, "device", culture);

            await page.FillAsync("#user_code", "WRONG-CODE");
            await page.ClickAsync("form:has(#user_code) button[type=submit]");
            await AssertErrorSummaryFocusedAsync(page, "#problem", "#user_code");
            await PageAudit.AssertAccessibleAsync(page, "device-failed", culture);

            await page.FillAsync("#user_code", userCode);
            await page.ClickAsync("form:has(#user_code) button[type=submit]");
            await Assertions.Expect(page.Locator("button[name=decision][value=allow]")).ToBeVisibleAsync();
            await PageAudit.AssertAccessibleAsync(page, "device-confirm", culture);

            await page.ClickAsync("button[name=decision][value=allow]");
            await Assertions.Expect(page.Locator("#outcome")).ToBeVisibleAsync();
            await PageAudit.AssertAccessibleAsync(page, "device-connected", culture);
        });
    }

    /// <summary>
    /// The console: an administrator without a second factor is told to set one up, sets up an authenticator, gives a
    /// code, and then every section opens — with a refused form and a destructive action's confirmation among them.
    /// </summary>
    [Theory, MemberData(nameof(Rows))]
    public Task Console_every_section(string culture, int width, int height) =>
        VisitAsync(culture, width, height, async page =>
        {
            await page.GotoAsync(Issuer + "/console");
            await SignInAsync(page, ConsoleAdmin(culture, width), SignInFixture.Password);
            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath == "/console/second-factor");
            await PageAudit.AssertAccessibleAsync(page, "console-second-factor", culture);

            await page.GotoAsync(Issuer + "/account/security");
            await page.ClickAsync("form[action*=\"handler=setup\"] button[type=submit]");
            var key = (await page.TextContentAsync("#authenticator-key"))!.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            await page.FillAsync("#code", new Totp(Base32Encoding.ToBytes(key)).ComputeTotp());
            await page.ClickAsync("form:has(#code) button[type=submit]");
            await Assertions.Expect(page.Locator("#recovery-codes")).ToBeVisibleAsync();

            // The session gave a password only: the console steps it up with a code (the next one: each is taken once).
            await page.GotoAsync(Issuer + "/console");
            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath == "/account/sign-in/two-factor");
            await page.FillAsync("#code", new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
            await page.ClickAsync("form:has(#code) button[type=submit]");
            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath == "/console");
            await PageAudit.AssertAccessibleAsync(page, "console", culture);

            foreach (var (path, name) in new[]
            {
                ("/console/clients", "console-clients"), ($"/console/clients/{WebClientId}", "console-client"), ("/console/new-client", "console-new-client"),
                ("/console/apis", "console-apis"), ("/console/apis/messages", "console-api"), ("/console/users", "console-users"), ($"/console/users/{Reader}", "console-user"),
                ("/console/roles", "console-roles"), ("/console/roles/superadmins", "console-role"), ("/console/keys", "console-keys"), ("/console/audit", "console-audit"), ("/console/providers", "console-providers"),
            })
            {
                await page.GotoAsync(Issuer + path);
                await PageAudit.AssertAccessibleAsync(page, name, culture);
            }

            await page.GotoAsync(Issuer + "/console/new-client");
            await page.FillAsync("input[name=\"Form.ClientId\"]", $"console {culture} {width}");
            await page.FillAsync("input[name=\"Form.Scopes\"]", "no-such-scope");
            await page.ClickAsync("main form[method=post] button[type=submit]");
            await Assertions.Expect(page.Locator("#problems")).ToBeFocusedAsync();
            await PageAudit.AssertAccessibleAsync(page, "console-new-client-refused", culture);

            await page.GotoAsync(Issuer + $"/console/users/{Reader}");
            await page.ClickAsync("form[action*=\"handler=revoke\"]:not([action*=token]) button[type=submit]");
            await Assertions.Expect(page.Locator("#confirm-revoke")).ToBeVisibleAsync();
            await PageAudit.AssertAccessibleAsync(page, "console-user-confirm", culture);
        });

    [Theory, MemberData(nameof(Rows))]
    public Task Error_page_for_an_unknown_client(string culture, int width, int height) =>
        VisitAsync(culture, width, height, async page =>
        {
            await page.GotoAsync(Issuer + "/connect/authorize?response_type=code&scope=openid&client_id=no-such-client" +
                "&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback");
            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath == "/error");
            await PageAudit.AssertAccessibleAsync(page, "error", culture);
        });

    /// <summary>
    /// A fresh browser (no session) in the culture and at the size of the row. Its console must stay free of errors (a
    /// CSP violation shows up there), except Chromium's note on a page answered with 400 on purpose: a failed post and
    /// the error page are such pages.
    /// </summary>
    private static async Task VisitAsync(string culture, int width, int height, Func<IPage, Task> journey)
    {
        await using var chromium = await Chromium.LaunchAsync(viewport: new ViewportSize { Width = width, Height = height }, locale: culture);
        var refusedPages = new List<string>();
        chromium.Page.Response += (_, response) =>
        {
            if (response.Status >= 400 && response.Request.ResourceType == "document")
                lock (refusedPages) refusedPages.Add(response.Url);
        };
        await chromium.RunAsync(journey);
        lock (refusedPages)
        {
            Assert.DoesNotContain(chromium.ConsoleErrors, error =>
                !(error.StartsWith("Failed to load resource:", StringComparison.Ordinal) && refusedPages.Any(url => error.Contains($"({url}:", StringComparison.Ordinal))));
        }
    }

    private static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", password);
        await page.ClickAsync("form:has(#password) button[type=submit]");
    }

    /// <summary>
    /// WCAG 3.3.1 and 4.1.2 after a failed post: the summary has the focus, so a screen reader reads it first, and each
    /// field named is marked invalid and described by the summary.
    /// </summary>
    private static async Task AssertErrorSummaryFocusedAsync(IPage page, string summary, params string[] fields)
    {
        var id = summary.TrimStart('#');
        await Assertions.Expect(page.Locator(summary)).ToBeFocusedAsync();
        foreach (var field in fields)
        {
            await Assertions.Expect(page.Locator(field)).ToHaveAttributeAsync("aria-invalid", "true");
            await Assertions.Expect(page.Locator(field)).ToHaveAttributeAsync("aria-describedby", id);
        }
    }
}
