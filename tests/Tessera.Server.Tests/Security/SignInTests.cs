using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>The sign-in and sign-out pages: Identity passwords, lockout, anti-forgery, headers that forbid framing.</summary>
public abstract class SignInTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task The_sign_in_page_works_with_password_managers_and_cannot_be_framed()
    {
        using var browser = new Browser(Server);

        var page = await browser.GetAsync("/account/sign-in?login_hint=alice");

        Assert.Equal(200, page.Status);
        Assert.Contains("autocomplete=\"username\"", page.Html);
        Assert.Contains("autocomplete=\"current-password\"", page.Html);
        Assert.Contains("<button type=\"submit\"", page.Html);
        Assert.Contains("value=\"alice\"", page.Html);
        Assert.NotNull(page.AntiforgeryToken);
        Assert.Equal("DENY", page.Response.Headers.GetValues("X-Frame-Options").Single());
        var csp = page.Response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("http", page.Html.Replace("http-equiv", ""), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_sign_in_form_may_lead_to_the_registered_redirect_uri_of_its_authorization_request_and_nowhere_else()
    {
        // Consent given or not required: the sign-in POST redirects on to the client, and browsers check form-action
        // along the redirect chain (Tessera.Browser.Tests sees Chromium block it otherwise).
        using var browser = new Browser(Server);
        var registered = CodeFlow.AuthorizeUrl(PeopleImport.FirstParty, PeopleImport.FirstPartyRedirect, "openid", CodeFlow.NewPkce().Challenge);
        var unregistered = CodeFlow.AuthorizeUrl(PeopleImport.FirstParty, "https://evil.example/cb", "openid", CodeFlow.NewPkce().Challenge);

        var forClient = await browser.GetAsync("/account/sign-in?returnUrl=" + Uri.EscapeDataString(registered));
        var forEvil = await browser.GetAsync("/account/sign-in?returnUrl=" + Uri.EscapeDataString(unregistered));

        Assert.Contains("form-action 'self' https://localhost:4413;", forClient.Response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("form-action 'self';", forEvil.Response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task The_right_password_starts_a_session_and_returns_to_a_local_url()
    {
        using var browser = new Browser(Server);

        var signedIn = await SignInAsync(browser, PeopleImport.Alice, PeopleImport.AlicePassword, returnUrl: "/account");

        Assert.Equal(302, signedIn.Status);
        Assert.Equal("/account", signedIn.Location);
        Assert.Contains("signed in as <strong>alice</strong>", (await browser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task An_absolute_return_url_is_not_followed_after_sign_in()
    {
        using var browser = new Browser(Server);

        var signedIn = await SignInAsync(browser, PeopleImport.Alice, PeopleImport.AlicePassword, returnUrl: "https://evil.example/");

        Assert.Equal(302, signedIn.Status);
        Assert.Equal("/account", signedIn.Location);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_saying_whether_the_user_exists()
    {
        using var browser = new Browser(Server);

        var wrong = await SignInAsync(browser, PeopleImport.Alice, "not-the-password");
        var unknown = await SignInAsync(browser, "nobody-by-this-name", "not-the-password");

        Assert.Equal(400, wrong.Status);
        Assert.Contains("The username or password is not correct.", wrong.Html);
        Assert.Contains("The username or password is not correct.", unknown.Html);
        Assert.Contains("not signed in", (await browser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task Five_wrong_passwords_do_not_lock_the_owner_out()
    {
        using var browser = new Browser(Server);
        for (var i = 0; i < 5; i++) await SignInAsync(browser, PeopleImport.LockoutFive, "wrong-password-" + i);

        var right = await SignInAsync(browser, PeopleImport.LockoutFive, PeopleImport.LockoutPassword);

        // Identity's lockout after five failures let anyone lock any account; the per-username limit is ten.
        Assert.Equal(302, right.Status);
    }

    [Fact]
    public async Task Ten_wrong_passwords_throttle_the_username_so_even_the_right_one_is_refused_until_the_window_ends()
    {
        using var browser = new Browser(Server);
        for (var i = 0; i < 10; i++) Assert.Equal(400, (await SignInAsync(browser, PeopleImport.LockoutTen, "wrong-password-" + i)).Status);

        var right = await SignInAsync(browser, PeopleImport.LockoutTen, PeopleImport.LockoutPassword);

        Assert.Equal(429, right.Status);
        Assert.Contains("Too many failed sign-ins. Try again later.", right.Html);
        Assert.DoesNotContain("locked", right.Html);
        Assert.Contains("not signed in", (await browser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task A_sign_in_post_without_the_anti_forgery_token_is_refused()
    {
        using var browser = new Browser(Server);
        var page = await browser.GetAsync("/account/sign-in");

        var posted = await browser.SubmitAsync(page, "/account/sign-in",
            [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword)], withAntiforgery: false);

        Assert.Equal(400, posted.Status);
        Assert.Contains("not signed in", (await browser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var browser = new Browser(Server);
        await SignInAsync(browser, PeopleImport.Alice, PeopleImport.AlicePassword);

        var page = await browser.GetAsync("/account/sign-out");
        var signedOut = await browser.SubmitAsync(page, "/account/sign-out", []);

        Assert.Equal(200, signedOut.Status);
        Assert.Contains("not signed in", (await browser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task The_error_page_shows_only_messages_the_server_wrote()
    {
        using var browser = new Browser(Server);

        var page = await browser.GetAsync("/error?id=" + Uri.EscapeDataString("<script>alert(1)</script>"));

        Assert.Equal(400, page.Status);
        Assert.DoesNotContain("<script>", page.Html);
        Assert.Contains("The request could not be completed.", page.Html);
    }

    internal static async Task<Browser.Page> SignInAsync(Browser browser, string username, string password, string? returnUrl = null)
    {
        var form = await browser.GetAsync("/account/sign-in");
        var fields = new List<(string, string)> { ("username", username), ("password", password) };
        if (returnUrl is not null) fields.Add(("returnUrl", returnUrl));
        return await browser.SubmitAsync(form, "/account/sign-in", fields);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class SignInTests_Sqlite(SqlitePeopleFixture f) : SignInTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class SignInTests_Postgres(PostgresPeopleFixture f) : SignInTests(f.Server);

[Collection(PgBouncerPeopleCollection.Name)]
public sealed class SignInTests_PgBouncer(PgBouncerPeopleFixture f) : SignInTests(f.Server);
