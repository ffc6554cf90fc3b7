using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Tessera:Mfa:Required (issue 17). <c>always</c>: a user without a second factor who gives the right password sets one
/// up before any session or code exists. <c>never</c>: no new authenticator can be set up, and one set up before is
/// still asked for — a setting does not quietly take a factor away.
/// </summary>
public abstract class MfaRequirementTests(DatabaseKind kind)
{
    [Fact]
    public async Task Where_it_is_always_a_password_sign_in_without_a_second_factor_sets_one_up_before_any_code_is_issued()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create(), new Dictionary<string, string?> { ["Tessera:Mfa:Required"] = "always" });
        var authorize = CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null);
        using var browser = new Browser(server);

        var signIn = await browser.FollowAsync(await browser.GetAsync(authorize));
        var setupStep = await browser.FollowAsync(await browser.SubmitAsync(signIn, signIn.RequestPath,
            [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", signIn.Field("returnUrl")!)]));
        // The attack: the password alone, straight back to the authorization endpoint.
        var meanwhile = await browser.FollowAsync(await browser.GetAsync(authorize));
        var setup = await browser.SubmitAsync(setupStep, "/account/sign-in/set-up-two-factor?handler=setup", [("returnUrl", setupStep.Field("returnUrl")!)]);
        var app = SecondFactor.ForKey(SecondFactor.KeyOf(setup));
        var wrong = await browser.SubmitAsync(setup, "/account/sign-in/set-up-two-factor?handler=confirm", [("code", "000000"), ("returnUrl", setup.Field("returnUrl")!)]);
        var done = await browser.SubmitAsync(wrong, "/account/sign-in/set-up-two-factor?handler=confirm", [("code", app.Code()), ("returnUrl", wrong.Field("returnUrl")!)]);
        var continued = await browser.FollowAsync(await browser.GetAsync(System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(done.Html, "<a id=\"continue\" href=\"([^\"]+)\"").Groups[1].Value)));
        if (continued.RequestPath.StartsWith("/consent", StringComparison.Ordinal))
            continued = await browser.FollowAsync(await browser.SubmitAsync(continued, "/consent", [("returnUrl", continued.Field("returnUrl")!), ("decision", "allow")]));
        var tokens = await new ProtocolClient(server.CreateClient()).TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", CodeFlow.Callback(continued)["code"]), ("redirect_uri", PeopleImport.WebRedirect));

        Assert.StartsWith("/account/sign-in/set-up-two-factor", setupStep.RequestPath, StringComparison.Ordinal);
        Assert.StartsWith("/account/sign-in?", meanwhile.RequestPath, StringComparison.Ordinal);
        Assert.Equal(400, wrong.Status);
        Assert.Equal(10, SecondFactor.RecoveryCodesOf(done).Count);
        Assert.Equal(["pwd", "otp", "mfa"], Jwt.Payload((string)tokens.Json["id_token"]!)["amr"]!.AsArray().Select(m => (string)m!));
    }

    [Fact]
    public async Task An_administrator_or_the_import_requires_a_second_factor_of_one_user_whose_next_sign_in_sets_one_up()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var import = PeopleImport.Create();
        import["users"]!.AsArray().Single(u => (string?)u!["username"] == PeopleImport.LockoutTen)!["requireMfa"] = true;
        await using var server = await TesseraServer.StartAsync(database, import);
        var protocol = new ProtocolClient(server.CreateClient());

        var dave = await PasswordStepAsync(server, PeopleImport.LockoutTen, PeopleImport.LockoutPassword);
        var required = await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, $"/admin/users/{PeopleImport.Alice}", new { requireMfa = true });
        var aliceAfter = await PasswordStepAsync(server, PeopleImport.Alice, PeopleImport.AlicePassword);
        var carol = await PasswordStepAsync(server, PeopleImport.LockoutFive, PeopleImport.LockoutPassword);
        await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, $"/admin/users/{PeopleImport.Alice}", new { requireMfa = false });
        var aliceFreed = await PasswordStepAsync(server, PeopleImport.Alice, PeopleImport.AlicePassword);

        // The import can require it too.
        Assert.StartsWith("/account/sign-in/set-up-two-factor", dave, StringComparison.Ordinal);
        Assert.Equal(200, required.Status);
        Assert.True((bool)required.Json["requireMfa"]!);
        Assert.StartsWith("/account/sign-in/set-up-two-factor", aliceAfter, StringComparison.Ordinal);
        // Only alice: others sign in as before.
        Assert.Equal("/account/security", carol);
        Assert.Equal("/account/security", aliceFreed);
    }

    /// <summary>A new browser: the password at the sign-in page for /account/security; the path it ends on.</summary>
    private static async Task<string> PasswordStepAsync(TesseraServer server, string username, string password)
    {
        using var browser = new Browser(server);
        var signIn = await browser.FollowAsync(await browser.GetAsync("/account/security"));
        var next = await browser.FollowAsync(await browser.SubmitAsync(signIn, signIn.RequestPath,
            [("username", username), ("password", password), ("returnUrl", signIn.Field("returnUrl")!)]));
        return next.RequestPath;
    }

    [Fact]
    public async Task A_remembered_browser_is_spared_the_code_until_the_password_changes_and_its_sign_in_says_pwd_only()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create(),
            new Dictionary<string, string?> { ["Tessera:Mfa:RememberBrowser"] = "30.00:00:00" });
        var protocol = new ProtocolClient(server.CreateClient());
        var app = await SecondFactor.EnableAsync(server, PeopleImport.Alice, PeopleImport.AlicePassword);
        using var browser = new Browser(server);
        var signIn = await browser.FollowAsync(await browser.GetAsync("/account/security"));
        var codePage = await browser.FollowAsync(await browser.SubmitAsync(signIn, signIn.RequestPath,
            [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", signIn.Field("returnUrl")!)]));
        Assert.Contains("name=\"rememberBrowser\"", codePage.Html, StringComparison.Ordinal);
        await browser.SubmitAsync(codePage, codePage.RequestPath, [("recoveryCode", app.NextRecoveryCode()), ("rememberBrowser", "true"), ("returnUrl", "/account/security")]);
        await SignOutAsync(browser);

        // The same browser, the password only: no code page, and the tokens say so.
        var remembered = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser, CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null)));
        var tokens = await protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", remembered["code"]), ("redirect_uri", PeopleImport.WebRedirect));
        // Another browser is asked, and so is this one once an administrator set a new password.
        var elsewhere = await PasswordStepAsync(server, PeopleImport.Alice, PeopleImport.AlicePassword);
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, $"/admin/users/{PeopleImport.Alice}", new { password = "Alice-new-pass-2" })).Status);
        await SignOutAsync(browser);
        var again = await browser.FollowAsync(await browser.GetAsync("/account/security"));
        var afterReset = await browser.FollowAsync(await browser.SubmitAsync(again, again.RequestPath,
            [("username", PeopleImport.Alice), ("password", "Alice-new-pass-2"), ("returnUrl", again.Field("returnUrl")!)]));

        Assert.Equal(["pwd"], Jwt.Payload((string)tokens.Json["id_token"]!)["amr"]!.AsArray().Select(m => (string)m!));
        Assert.StartsWith("/account/sign-in/two-factor", elsewhere, StringComparison.Ordinal);
        Assert.StartsWith("/account/sign-in/two-factor", afterReset.RequestPath, StringComparison.Ordinal);
    }

    private static async Task SignOutAsync(Browser browser)
    {
        var page = await browser.GetAsync("/account/sign-out");
        if (page.AntiforgeryToken is not null) await browser.SubmitAsync(page, "/account/sign-out", []);
    }

    [Fact]
    public async Task Where_it_is_never_no_authenticator_can_be_set_up_and_one_set_up_before_is_still_asked_for()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var settings = new Dictionary<string, string?>();
        await using (var before = await TesseraServer.StartAsync(database, PeopleImport.Create()))
        {
            await SecondFactor.EnableAsync(before, PeopleImport.Alice, PeopleImport.AlicePassword);
            settings["Tessera:Issuer"] = before.Issuer;
        }
        settings["Tessera:Mfa:Required"] = "never";
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create(), settings);

        using var carol = new Browser(server);
        var signIn = await carol.FollowAsync(await carol.GetAsync("/account/security"));
        var security = await carol.FollowAsync(await carol.SubmitAsync(signIn, signIn.RequestPath,
            [("username", PeopleImport.LockoutFive), ("password", PeopleImport.LockoutPassword), ("returnUrl", signIn.Field("returnUrl")!)]));
        // The page offers no setup; the attack posts it anyway, with the anti-forgery token of another form of the session.
        var setup = await carol.SubmitAsync(await carol.GetAsync("/account"), "/account/security?handler=setup", []);
        using var alice = new Browser(server);
        var aliceSignIn = await alice.FollowAsync(await alice.GetAsync("/account/security"));
        var aliceNext = await alice.FollowAsync(await alice.SubmitAsync(aliceSignIn, aliceSignIn.RequestPath,
            [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", aliceSignIn.Field("returnUrl")!)]));

        Assert.Equal("/account/security", security.RequestPath);
        Assert.DoesNotContain("Set up an authenticator app", security.Html, StringComparison.Ordinal);
        Assert.Equal(400, setup.Status);
        Assert.Contains("This server does not offer two-factor sign-in.", setup.Html, StringComparison.Ordinal);
        Assert.StartsWith("/account/sign-in/two-factor", aliceNext.RequestPath, StringComparison.Ordinal);
    }
}

public sealed class MfaRequirementTests_Sqlite() : MfaRequirementTests(DatabaseKind.Sqlite);

public sealed class MfaRequirementTests_Postgres() : MfaRequirementTests(DatabaseKind.Postgres);
