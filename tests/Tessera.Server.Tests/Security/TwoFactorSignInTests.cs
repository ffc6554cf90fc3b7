using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Storage;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Two-factor sign-in with an authenticator app (issue 17): set up on /account/security with a first code, then every
/// password sign-in asks for a code — each accepted once on every node — or a recovery code, each good once. Codes are
/// computed here with Otp.NET from the key the page shows, as an authenticator app would.
/// </summary>
public abstract class TwoFactorSignInTests(DatabaseKind kind)
{
    private const string Alice = PeopleImport.Alice;
    private const string Password = PeopleImport.AlicePassword;

    private static async Task<Browser.Page> SignInAsync(Browser browser, string returnPath, string password = Password)
    {
        var page = await browser.FollowAsync(await browser.GetAsync(returnPath));
        Assert.StartsWith("/account/sign-in", page.RequestPath, StringComparison.Ordinal);
        return await browser.FollowAsync(await browser.SubmitAsync(page, page.RequestPath,
            [("username", Alice), ("password", password), ("returnUrl", page.Field("returnUrl")!)]));
    }

    /// <summary>Alice sets up an authenticator (confirming with the current code): the authenticator and her recovery codes.</summary>
    private static async Task<(SecondFactor App, IReadOnlyList<string> RecoveryCodes)> EnableAsync(TesseraServer server)
    {
        var app = await SecondFactor.EnableAsync(server, Alice, Password);
        Assert.Equal(10, app.RecoveryCodes.Count);
        return (app, app.RecoveryCodes);
    }

    /// <summary>A new browser: the password, then the code page with <paramref name="field"/> = <paramref name="value"/>.</summary>
    private static async Task<(Browser Browser, Browser.Page Answer)> TwoStepsAsync(TesseraServer server, string field, string value, string returnPath = "/account/security")
    {
        var browser = new Browser(server);
        var codePage = await SignInAsync(browser, returnPath);
        Assert.StartsWith("/account/sign-in/two-factor", codePage.RequestPath, StringComparison.Ordinal);
        var answer = await browser.SubmitAsync(codePage, codePage.RequestPath, [(field, value), ("returnUrl", codePage.Field("returnUrl") ?? "")]);
        return (browser, answer);
    }

    [Fact]
    public async Task Setting_up_needs_a_right_first_code_and_then_the_password_alone_no_longer_signs_in()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        using (var browser = new Browser(server))
        {
            var security = await SignInAsync(browser, "/account/security");
            var setup = await browser.SubmitAsync(security, "/account/security?handler=setup", []);
            Assert.Contains("<svg", setup.Html, StringComparison.Ordinal);
            Assert.Contains($"otpauth://totp/Tessera:{Alice}?secret=", setup.Html, StringComparison.Ordinal);
            var wrong = await browser.SubmitAsync(setup, "/account/security?handler=confirm", [("code", "000000")]);
            Assert.Equal(400, wrong.Status);
            Assert.Contains("The code is not correct.", wrong.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("recovery-code", wrong.Html, StringComparison.Ordinal);
        }
        var (app, _) = await EnableAsync(server);

        using var attacker = new Browser(server);
        var afterPassword = await SignInAsync(attacker, "/account/security");
        // The password is right, yet there is no session: the security page sends the browser back to sign in.
        var account = await attacker.GetAsync("/account/security");
        var wrongCode = await attacker.SubmitAsync(afterPassword, afterPassword.RequestPath, [("code", "123456"), ("returnUrl", "/account/security")]);

        Assert.StartsWith("/account/sign-in/two-factor", afterPassword.RequestPath, StringComparison.Ordinal);
        Assert.Equal(302, account.Status);
        Assert.StartsWith("/account/sign-in", new Uri(server.BaseAddress, account.Location).AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(400, wrongCode.Status);
        Assert.Contains("The code is not correct.", wrongCode.Html, StringComparison.Ordinal);

        var (owner, signedIn) = await TwoStepsAsync(server, "code", app.Code(steps: 1));
        using (owner)
        {
            Assert.Equal("/account/security", signedIn.Location);
            Assert.Equal(200, (await owner.GetAsync("/account/security")).Status);
        }
    }

    [Fact]
    public async Task A_code_posted_without_the_password_step_opens_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        var app = await SecondFactor.EnableAsync(server, Alice, Password);
        using var attacker = new Browser(server);
        // The attack: a right code (seen over a shoulder) without the password, and the setup step without a sign-in.
        var signInPage = await attacker.GetAsync("/account/sign-in");
        var code = await attacker.SubmitAsync(signInPage, "/account/sign-in/two-factor", [("code", app.Code(steps: 1)), ("returnUrl", "/account/security")]);
        var setup = await attacker.SubmitAsync(signInPage, "/account/sign-in/set-up-two-factor?handler=setup", []);
        var security = await attacker.GetAsync("/account/security");

        Assert.Equal(302, code.Status);
        Assert.StartsWith("/account/sign-in", code.Location, StringComparison.Ordinal);
        Assert.DoesNotContain("two-factor", code.Location, StringComparison.Ordinal);
        Assert.Equal(302, setup.Status);
        Assert.StartsWith("/account/sign-in", setup.Location, StringComparison.Ordinal);
        Assert.Equal(302, security.Status);
        // The code was not spent: its owner still signs in with it.
        var (owner, accepted) = await TwoStepsAsync(server, "code", app.Code(steps: 1));
        owner.Dispose();
        Assert.Equal(302, accepted.Status);
        Assert.Equal("/account/security", accepted.Location);
    }

    [Fact]
    public async Task An_authenticator_code_is_accepted_once_and_an_older_one_never_after_it()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        var (app, _) = await EnableAsync(server);
        var next = app.Code(steps: 1);

        var (first, accepted) = await TwoStepsAsync(server, "code", next);
        // The attack: the same code, seen over the shoulder, in another browser within its 30 seconds.
        var (second, replayed) = await TwoStepsAsync(server, "code", next);
        var (third, older) = await TwoStepsAsync(server, "code", app.Code());
        first.Dispose(); second.Dispose(); third.Dispose();

        Assert.Equal(302, accepted.Status);
        Assert.Equal(400, replayed.Status);
        Assert.Equal(400, older.Status);
    }

    [Theory]
    [InlineData("code")]
    [InlineData("recoveryCode")]
    public async Task The_same_code_sent_to_two_nodes_at_once_signs_in_once(string field)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = await TesseraServer.StartAsync(database, PeopleImport.Create());
        await using var b = await TesseraServer.StartAsync(database, PeopleImport.Create(), new Dictionary<string, string?> { ["Tessera:Issuer"] = a.Issuer });
        var app = await SecondFactor.EnableAsync(a, Alice, Password);
        var code = field == "code" ? app.Code(steps: 1) : app.NextRecoveryCode();
        using var atA = new Browser(a);
        using var atB = new Browser(b);
        var pageA = await SignInAsync(atA, "/account/security");
        var pageB = await SignInAsync(atB, "/account/security");

        // The attack: the code, caught in flight, raced against its owner on another node.
        var answers = await Task.WhenAll(
            atA.SubmitAsync(pageA, pageA.RequestPath, [(field, code), ("returnUrl", "/account/security")]),
            atB.SubmitAsync(pageB, pageB.RequestPath, [(field, code), ("returnUrl", "/account/security")]));

        Assert.Equal([302, 400], answers.Select(p => p.Status).Order());
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        var (_, codes) = await EnableAsync(server);

        var (first, accepted) = await TwoStepsAsync(server, "recoveryCode", codes[3]);
        var (second, reused) = await TwoStepsAsync(server, "recoveryCode", codes[3]);
        var (third, another) = await TwoStepsAsync(server, "recoveryCode", codes[4]);
        var left = await first.GetAsync("/account/security");
        first.Dispose(); second.Dispose(); third.Dispose();

        Assert.Equal(302, accepted.Status);
        Assert.Equal(400, reused.Status);
        Assert.Equal(302, another.Status);
        Assert.Contains("<span id=\"recovery-codes-left\">8</span>", left.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_authorization_endpoint_issues_no_code_between_the_password_and_the_second_factor()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        var (app, _) = await EnableAsync(server);
        var authorize = CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null);
        using var browser = new Browser(server);

        var codePage = await SignInAsync(browser, authorize);
        var again = await browser.FollowAsync(await browser.GetAsync(authorize));
        var completed = await browser.FollowAsync(await browser.SubmitAsync(codePage, codePage.RequestPath,
            [("code", app.Code(steps: 1)), ("returnUrl", codePage.Field("returnUrl")!)]));
        if (completed.RequestPath.StartsWith("/consent", StringComparison.Ordinal))
            completed = await browser.FollowAsync(await browser.SubmitAsync(completed, "/consent", [("returnUrl", completed.Field("returnUrl")!), ("decision", "allow")]));

        Assert.StartsWith("/account/sign-in/two-factor", codePage.RequestPath, StringComparison.Ordinal);
        Assert.StartsWith("/account/sign-in?", again.RequestPath, StringComparison.Ordinal);
        Assert.True(CodeFlow.Callback(completed).ContainsKey("code"));
    }

    [Fact]
    public async Task Tokens_say_whether_the_user_signed_in_with_the_password_alone_or_with_a_second_factor()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        var protocol = new ProtocolClient(server.CreateClient());
        var passwordOnly = await WebTokensAsync(server, protocol, "openid message", secondFactor: null);
        var app = await SecondFactor.EnableAsync(server, Alice, Password);

        var twoFactor = await WebTokensAsync(server, protocol, "openid offline_access message", app);
        var refreshed = await CodeFlow.RefreshAsync(protocol, CodeFlow.RefreshTokenOf(twoFactor));
        var opaque = await WebTokensAsync(server, protocol, "ledger", app);
        var introspected = await protocol.IntrospectAsync(TestClients.Service, TestClients.ServiceSecret, opaque.AccessToken);
        var discovery = await protocol.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration"));
        using var userInfoRequest = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userInfoRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", twoFactor.AccessToken);
        var userInfo = await protocol.SendAsync(userInfoRequest);

        // OIDC Core §2 and RFC 8176 in the ID token; RFC 9068 §2.2.1 in the access token.
        Assert.Equal(["pwd"], Jwt.Payload((string)passwordOnly.Json["id_token"]!)["amr"]!.AsArray().Select(m => (string)m!));
        Assert.Equal("urn:tessera:acr:pwd", (string?)Jwt.Payload((string)passwordOnly.Json["id_token"]!)["acr"]);
        Assert.Equal("urn:tessera:acr:pwd", (string?)Jwt.Payload(passwordOnly.AccessToken)["acr"]);
        Assert.Equal(["pwd", "otp", "mfa"], Jwt.Payload((string)twoFactor.Json["id_token"]!)["amr"]!.AsArray().Select(m => (string)m!));
        Assert.Equal("urn:tessera:acr:mfa", (string?)Jwt.Payload((string)twoFactor.Json["id_token"]!)["acr"]);
        Assert.Equal("urn:tessera:acr:mfa", (string?)Jwt.Payload(twoFactor.AccessToken)["acr"]);
        // A refresh says how the grant's sign-in was made, not how the refresh was.
        Assert.Equal("urn:tessera:acr:mfa", (string?)Jwt.Payload(refreshed.AccessToken)["acr"]);
        Assert.Equal("urn:tessera:acr:mfa", (string?)introspected.Json["acr"]);
        Assert.Equal(["pwd", "otp", "mfa"], introspected.Json["amr"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(["urn:tessera:acr:pwd", "urn:tessera:acr:mfa"], discovery.Json["acr_values_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("urn:tessera:acr:mfa", (string?)userInfo.Json["acr"]);
        Assert.Equal(["pwd", "otp", "mfa"], userInfo.Json["amr"]!.AsArray().Select(m => (string)m!));
    }

    private static async Task<ProtocolResponse> WebTokensAsync(TesseraServer server, ProtocolClient protocol, string scope, SecondFactor? secondFactor)
    {
        using var browser = new Browser(server);
        var callback = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser,
            CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, scope, null), secondFactor: secondFactor));
        var tokens = await protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", callback["code"]), ("redirect_uri", PeopleImport.WebRedirect));
        Assert.Equal(200, tokens.Status);
        return tokens;
    }

    [Fact]
    public async Task Wrong_codes_are_counted_per_user_on_every_node_and_then_even_a_right_one_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var limits = new Dictionary<string, string?> { ["Tessera:RateLimits:SecondFactorFailuresPerUser:PermitLimit"] = "3" };
        await using var a = await TesseraServer.StartAsync(database, PeopleImport.Create(), limits);
        await using var b = await TesseraServer.StartAsync(database, PeopleImport.Create(), new Dictionary<string, string?>(limits) { ["Tessera:Issuer"] = a.Issuer });
        var (app, _) = await EnableAsync(a);

        var answers = new List<int>();
        foreach (var node in new[] { a, b, a })
        {
            var (browser, answer) = await TwoStepsAsync(node, "code", "999999");
            browser.Dispose();
            answers.Add(answer.Status);
        }
        var (last, right) = await TwoStepsAsync(b, "code", app.Code(steps: 1));
        last.Dispose();

        Assert.Equal([400, 400, 400], answers);
        Assert.Equal(429, right.Status);
        Assert.Contains("Too many wrong codes", right.Html, StringComparison.Ordinal);
        Assert.True(right.Response.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task Turning_two_factor_off_needs_a_code_and_the_old_key_opens_nothing_afterwards()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        var (app, codes) = await EnableAsync(server);
        var (browser, _) = await TwoStepsAsync(server, "recoveryCode", codes[0]);
        using (browser)
        {
            var security = await browser.GetAsync("/account/security");
            // The attack: a session alone (a copied cookie) tries to remove the second factor.
            var withoutCode = await browser.SubmitAsync(security, "/account/security?handler=disable", []);
            var off = await browser.SubmitAsync(security, "/account/security?handler=disable", [("code", app.Code(steps: 1))]);

            Assert.Equal(400, withoutCode.Status);
            Assert.Contains("Two-factor sign-in is <strong>off</strong>", off.Html, StringComparison.Ordinal);
        }

        using var plain = new Browser(server);
        var signedIn = await SignInAsync(plain, "/account/security");
        Assert.Equal("/account/security", signedIn.RequestPath);
    }

    [Fact]
    public async Task An_administrator_resets_a_lost_second_factor_and_the_sessions_that_came_with_it_end()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        var protocol = new ProtocolClient(server.CreateClient());
        var app = await SecondFactor.EnableAsync(server, Alice, Password);
        var (thief, _) = await TwoStepsAsync(server, "recoveryCode", app.NextRecoveryCode());

        var reset = await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, $"/admin/users/{Alice}/reset-mfa");
        var unknown = await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/users/nobody/reset-mfa");
        var thiefAfter = await thief.GetAsync("/account/security");
        thief.Dispose();
        using var owner = new Browser(server);
        var passwordOnly = await SignInAsync(owner, "/account/security");

        Assert.Equal(200, reset.Status);
        Assert.False((bool)reset.Json["twoFactorEnabled"]!);
        Assert.Equal(404, unknown.Status);
        Assert.Equal(302, thiefAfter.Status);
        // The owner signs in with the password and sets up a new authenticator.
        Assert.Equal("/account/security", passwordOnly.RequestPath);
        Assert.Contains("Two-factor sign-in is <strong>off</strong>", passwordOnly.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_authenticator_key_and_the_recovery_codes_are_not_stored_in_clear()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        using var browser = new Browser(server);
        var security = await SignInAsync(browser, "/account/security");
        var setup = await browser.SubmitAsync(security, "/account/security?handler=setup", []);
        var key = SecondFactor.KeyOf(setup).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var enabled = await browser.SubmitAsync(setup, "/account/security?handler=confirm", [("code", SecondFactor.ForKey(key).Code())]);
        var codes = SecondFactor.RecoveryCodesOf(enabled);

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var stored = string.Join("\n", await db.UserTokens.AsNoTracking().Select(t => t.Value ?? "").ToListAsync());

        Assert.Equal(10, codes.Count);
        Assert.NotEmpty(stored);
        Assert.DoesNotContain(key, stored.ToUpperInvariant(), StringComparison.Ordinal);
        Assert.All(codes, code => Assert.DoesNotContain(code, stored, StringComparison.OrdinalIgnoreCase));
    }
}

public sealed class TwoFactorSignInTests_Sqlite() : TwoFactorSignInTests(DatabaseKind.Sqlite);

public sealed class TwoFactorSignInTests_Postgres() : TwoFactorSignInTests(DatabaseKind.Postgres);
