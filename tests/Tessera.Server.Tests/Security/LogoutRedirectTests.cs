using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Conformance.OidcRpInitiatedLogoutTests;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// RP-Initiated Logout §3 and RFC 9700 §4.11: the logout endpoint must not become an open redirector, and a link
/// someone else made must not sign the user out without asking.
/// </summary>
public abstract class LogoutRedirectTests(TesseraServer server) : ServerTest(server)
{
    [Theory]
    [InlineData("https://evil.example/logged-out", "a URI nobody registered")]
    [InlineData(PeopleImport.WebPostLogoutRedirect + "/", "the registered URI with one more character")]
    [InlineData("HTTP://127.0.0.1:4412/logged-out", "the registered URI in another case")]
    [InlineData(PeopleImport.WebRedirect, "the client's redirect URI, which is not a post-logout URI")]
    public async Task A_post_logout_redirect_uri_that_is_not_registered_exactly_is_never_followed(string target, string reason)
    {
        using var browser = new Browser(Server);
        var idToken = await IdTokenAsync(browser, Protocol);

        var logout = await browser.GetAsync(EndSessionUrl(idToken, target, "s"));

        Assert.True(logout.Location == "/account/sign-out", reason);
        Assert.Contains("You are signed out.", (await browser.FollowAsync(logout)).Html);
    }

    [Fact]
    public async Task A_post_logout_redirect_uri_registered_for_another_client_is_not_followed()
    {
        using var browser = new Browser(Server);
        var spaIdToken = await IdTokenAsync(browser, Protocol, PeopleImport.Spa);

        var logout = await browser.GetAsync(EndSessionUrl(spaIdToken, PeopleImport.WebPostLogoutRedirect, null));

        Assert.Equal("/account/sign-out", logout.Location);
    }

    [Fact]
    public async Task Without_a_hint_the_user_is_asked_first_and_never_redirected()
    {
        using var browser = new Browser(Server);
        await IdTokenAsync(browser, Protocol);

        var logout = await browser.GetAsync(EndSessionUrl(null, PeopleImport.WebPostLogoutRedirect, null));
        var page = await browser.FollowAsync(logout);

        Assert.StartsWith("/account/sign-out?returnUrl=", logout.Location, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">Sign out</button>", page.Html);
        Assert.Contains("signed in as", (await browser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task A_hint_for_another_user_does_not_end_this_users_session_without_asking()
    {
        using var alice = new Browser(Server);
        var aliceIdToken = await IdTokenAsync(alice, Protocol);
        using var someoneElse = new Browser(Server);
        var page = await someoneElse.GetAsync("/account/sign-in");
        await someoneElse.SubmitAsync(page, "/account/sign-in", [("username", PeopleImport.Guesser), ("password", PeopleImport.LockoutPassword), ("returnUrl", "/account")]);

        var logout = await someoneElse.GetAsync(EndSessionUrl(aliceIdToken, PeopleImport.WebPostLogoutRedirect, null));

        Assert.StartsWith("/account/sign-out?returnUrl=", logout.Location, StringComparison.Ordinal);
        Assert.Contains("signed in as <strong>erin</strong>", (await someoneElse.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task Asked_first_the_user_who_says_yes_goes_back_to_the_application_with_its_state()
    {
        using var alice = new Browser(Server);
        var aliceIdToken = await IdTokenAsync(alice, Protocol);
        using var erin = new Browser(Server);
        var signIn = await erin.GetAsync("/account/sign-in");
        await erin.SubmitAsync(signIn, "/account/sign-in", [("username", PeopleImport.Guesser), ("password", PeopleImport.LockoutPassword), ("returnUrl", "/account")]);
        var asked = await erin.FollowAsync(await erin.GetAsync(EndSessionUrl(aliceIdToken, PeopleImport.WebPostLogoutRedirect, "st-9")));

        var signedOut = await erin.SubmitAsync(asked, "/account/sign-out", [("returnUrl", asked.Field("returnUrl")!)]);
        var back = await erin.FollowAsync(signedOut);

        Assert.Equal(PeopleImport.WebPostLogoutRedirect + "?state=st-9", back.Location);
        Assert.Contains("You are not signed in.", (await erin.GetAsync("/account")).Html);
    }

    [Theory]
    [InlineData("/account/tokens", "a local page that is not the logout endpoint")]
    [InlineData("https://evil.example/connect/endsession?x=1", "another site")]
    [InlineData("//evil.example/connect/endsession?x=1", "a scheme-relative URL to another site")]
    public async Task The_sign_out_page_goes_back_only_to_the_logout_endpoint(string returnUrl, string reason)
    {
        using var browser = new Browser(Server);
        await IdTokenAsync(browser, Protocol);
        var page = await browser.GetAsync("/account/sign-out");

        var signedOut = await browser.SubmitAsync(page, "/account/sign-out", [("returnUrl", returnUrl)]);

        Assert.True(signedOut.Status == 200 && signedOut.Location is null, reason);
        Assert.Contains("You are signed out.", signedOut.Html);
    }

    [Theory]
    [InlineData("tampered", "a signature that does not match")]
    [InlineData("access-token", "an access token (typ at+jwt) instead of an ID token")]
    [InlineData("garbage", "not a JWT")]
    public async Task A_hint_that_is_not_an_id_token_of_this_server_shows_the_error_page_and_keeps_the_session(string kind, string reason)
    {
        using var browser = new Browser(Server);
        var idToken = await IdTokenAsync(browser, Protocol);
        var hint = kind switch
        {
            "tampered" => Tamper(idToken),
            "access-token" => (await WebTokensAsync(Server, Protocol, "openid message")).AccessToken,
            _ => "not-a-jwt",
        };

        var logout = await browser.GetAsync(EndSessionUrl(hint, PeopleImport.WebPostLogoutRedirect, null));

        Assert.True(logout.Location?.StartsWith("/error?id=") == true, reason);
        Assert.Contains("id_token_hint is not an ID token issued by this server", (await browser.FollowAsync(logout)).Html);
        Assert.Contains("signed in as", (await browser.GetAsync("/account")).Html);
    }

    private static string Tamper(string idToken)
    {
        var parts = idToken.Split('.');
        var payload = Jwt.Payload(idToken);
        payload["aud"] = PeopleImport.Spa;
        return Jwt.Rebuild(Jwt.Header(idToken), payload, parts[2]);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class LogoutRedirectTests_Sqlite(SqlitePeopleFixture f) : LogoutRedirectTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class LogoutRedirectTests_Postgres(PostgresPeopleFixture f) : LogoutRedirectTests(f.Server);
