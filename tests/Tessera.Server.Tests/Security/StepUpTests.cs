using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Step-up (issue 17): a request that needs a second factor — acr_values naming urn:tessera:acr:mfa (OIDC Core
/// §3.1.2.1), or a client registered with <c>requireMfa</c> — is answered only from a session that gave one. A
/// password session is asked for a code, not for the password again; a user without a second factor, or a request
/// that may show nothing, gets the error that says so.
/// </summary>
public abstract class StepUpTests(DatabaseKind kind)
{
    private const string Mfa = "urn:tessera:acr:mfa";

    private static string Authorize(string acrValues, params (string Name, string Value)[] extra) =>
        CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null, [("acr_values", acrValues), .. extra]);

    private static async Task<ProtocolResponse> RedeemAsync(TesseraServer server, Dictionary<string, string> callback) =>
        await new ProtocolClient(server.CreateClient()).TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", callback["code"]), ("redirect_uri", PeopleImport.WebRedirect));

    /// <summary>
    /// alice signs in with her password, then sets up an authenticator in this same session, which stays "pwd": a
    /// session a request for a second factor must step up. Her authenticator.
    /// </summary>
    private static async Task<SecondFactor> PasswordSessionWithAuthenticatorAsync(Browser browser)
    {
        var signIn = await browser.FollowAsync(await browser.GetAsync("/account/security"));
        var security = await browser.FollowAsync(await browser.SubmitAsync(signIn, signIn.RequestPath,
            [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", signIn.Field("returnUrl")!)]));
        var setup = await browser.SubmitAsync(security, "/account/security?handler=setup", []);
        var app = SecondFactor.ForKey(SecondFactor.KeyOf(setup));
        await browser.SubmitAsync(setup, "/account/security?handler=confirm", [("code", app.Code())]);
        return app;
    }

    /// <summary>Approves consent if the page asks; the redirect to the client.</summary>
    private static async Task<Browser.Page> ThroughConsentAsync(Browser browser, Browser.Page page) =>
        page.RequestPath.StartsWith("/consent", StringComparison.Ordinal)
            ? await browser.FollowAsync(await browser.SubmitAsync(page, "/consent", [("returnUrl", page.Field("returnUrl")!), ("decision", "allow")]))
            : page;

    [Fact]
    public async Task A_password_session_steps_up_with_a_code_and_no_password_when_acr_values_ask_for_a_second_factor()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        using var browser = new Browser(server);
        var app = await PasswordSessionWithAuthenticatorAsync(browser);

        // Either class will do: the password session answers at once.
        var either = CodeFlow.Callback(await ThroughConsentAsync(browser, await browser.FollowAsync(await browser.GetAsync(Authorize($"urn:tessera:acr:pwd {Mfa}")))));
        var before = Jwt.Payload((string)(await RedeemAsync(server, either)).Json["id_token"]!);
        // A second factor is asked for: the code page, not the password.
        var stepUp = await browser.FollowAsync(await browser.GetAsync(Authorize(Mfa)));
        var done = await ThroughConsentAsync(browser, await browser.FollowAsync(await browser.SubmitAsync(stepUp, stepUp.RequestPath,
            [("code", app.Code(steps: 1)), ("returnUrl", stepUp.Field("returnUrl")!)])));
        var afterToken = (string)(await RedeemAsync(server, CodeFlow.Callback(done))).Json["id_token"]!;
        var after = Jwt.Payload(afterToken);
        // Checked as a relying party would, with the JWKS (Microsoft.IdentityModel), not only decoded.
        var validated = await Jwt.ValidateAsync(afterToken, server.CreateClient(), server.Issuer, PeopleImport.Web, type: "JWT");
        Assert.True(validated.IsValid, validated.Exception?.Message);

        Assert.Equal("urn:tessera:acr:pwd", (string?)before["acr"]);
        Assert.StartsWith("/account/sign-in/two-factor", stepUp.RequestPath, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"password\"", stepUp.Html, StringComparison.Ordinal);
        Assert.Equal(Mfa, (string?)after["acr"]);
        Assert.Equal(["pwd", "otp", "mfa"], after["amr"]!.AsArray().Select(m => (string)m!));
        // OIDC Core §2: auth_time is when the user authenticated — the step-up, not the first sign-in.
        Assert.True((long)after["auth_time"]! >= (long)before["auth_time"]!);
        Assert.Equal((string?)before["sub"], (string?)after["sub"]);
    }

    [Fact]
    public async Task A_second_factor_asked_of_a_user_without_one_is_unmet_authentication_requirements_and_prompt_none_is_interaction_required()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        using var browser = new Browser(server);

        var unmet = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser, Authorize(Mfa)));
        var silent = CodeFlow.Callback(await browser.FollowAsync(await browser.GetAsync(Authorize(Mfa, ("prompt", "none")))));

        Assert.Equal("unmet_authentication_requirements", unmet["error"]);
        Assert.Equal("this request needs a second factor, and the user has none set up", unmet["error_description"]);
        Assert.False(unmet.ContainsKey("code"));
        Assert.Equal("interaction_required", silent["error"]);
    }

    [Fact]
    public async Task A_client_that_requires_a_second_factor_gets_codes_only_from_sessions_that_gave_one_whatever_acr_values_say()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var import = PeopleImport.Create();
        import["clients"]!.AsArray().Single(c => (string?)c!["clientId"] == PeopleImport.Web)!["requireMfa"] = true;
        await using var server = await TesseraServer.StartAsync(database, import);
        using (var before = new Browser(server))
        {
            // Without a second factor set up, the client gets nothing, even when the request asks only for a password.
            var refused = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(before, Authorize("urn:tessera:acr:pwd")));
            Assert.Equal("unmet_authentication_requirements", refused["error"]);
        }
        var app = await SecondFactor.EnableAsync(server, PeopleImport.Alice, PeopleImport.AlicePassword);
        using var browser = new Browser(server);

        var callback = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser, Authorize("urn:tessera:acr:pwd"), secondFactor: app));
        var idToken = Jwt.Payload((string)(await RedeemAsync(server, callback)).Json["id_token"]!);

        Assert.Equal(Mfa, (string?)idToken["acr"]);
    }

    [Fact]
    public async Task A_device_approval_for_a_client_that_requires_a_second_factor_needs_one_given_in_that_session()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var import = PeopleImport.Create();
        import["clients"]!.AsArray().Single(c => (string?)c!["clientId"] == PeopleImport.Cli)!["requireMfa"] = true;
        await using var server = await TesseraServer.StartAsync(database, import);
        var protocol = new ProtocolClient(server.CreateClient());
        var device = await DeviceFlow.AuthorizeAsync(protocol, "openid");
        using (var passwordOnly = new Browser(server))
        {
            // No second factor set up: the approval is refused outright.
            var refused = await DeviceFlow.EnterAsync(passwordOnly, await DeviceFlow.OpenAsync(passwordOnly), DeviceFlow.UserCode(device));
            Assert.Equal(403, refused.Status);
        }
        using var browser = new Browser(server);
        var app = await PasswordSessionWithAuthenticatorAsync(browser);

        // The device page steps the session up: a code, no password.
        var entered = await browser.FollowAsync(await DeviceFlow.EnterAsync(browser, await DeviceFlow.OpenAsync(browser), DeviceFlow.UserCode(device)));
        Assert.StartsWith("/account/sign-in/two-factor", entered.RequestPath, StringComparison.Ordinal);
        var back = await browser.FollowAsync(await browser.SubmitAsync(entered, entered.RequestPath,
            [("code", app.Code(steps: 1)), ("returnUrl", entered.Field("returnUrl")!)]));
        var confirmation = await DeviceFlow.EnterAsync(browser, back, DeviceFlow.UserCode(device));
        await DeviceFlow.DecideAsync(browser, confirmation, "allow");
        var tokens = await DeviceFlow.PollAsync(protocol, DeviceFlow.DeviceCode(device));

        Assert.Equal(200, tokens.Status);
        Assert.Equal(Mfa, (string?)Jwt.Payload((string)tokens.Json["id_token"]!)["acr"]);
    }
}

public sealed class StepUpTests_Sqlite() : StepUpTests(DatabaseKind.Sqlite);

public sealed class StepUpTests_Postgres() : StepUpTests(DatabaseKind.Postgres);
