using System.Text.RegularExpressions;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Sessions are server-side: a copy of the session cookie is worth nothing once its session ended (sign-out,
/// end-session, "sign out this session", "sign out everywhere"), and the account page lists the user's sessions.
/// </summary>
public abstract partial class ServerSideSessionTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task A_copied_session_cookie_no_longer_opens_the_account_page_after_the_victim_signs_out()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var victim = new Browser(Server);
        await dan.SignInAsync(victim);
        using var attacker = new Browser(Server, victim);
        Assert.Contains($"<strong>{dan.Username}</strong>", (await attacker.GetAsync("/account")).Html);

        var signOut = await victim.GetAsync("/account/sign-out");
        await victim.SubmitAsync(signOut, "/account/sign-out", []);

        var replay = await attacker.GetAsync("/account");
        Assert.Contains("You are not signed in.", replay.Html);
        Assert.DoesNotContain(dan.Username, replay.Html);
    }

    [Fact]
    public async Task A_copied_session_cookie_no_longer_obtains_authorization_codes_after_the_victim_signs_out()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var victim = new Browser(Server);
        await dan.CodeAsync(victim, "openid");
        using var attacker = new Browser(Server, victim);
        var before = await attacker.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null));
        Assert.StartsWith(PeopleImport.WebRedirect + "?code=", before.Location);

        await victim.SubmitAsync(await victim.GetAsync("/account/sign-out"), "/account/sign-out", []);

        var replay = await attacker.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null));
        Assert.Equal(302, replay.Status);
        Assert.StartsWith("/account/sign-in", new Uri(Server.BaseAddress, replay.Location).PathAndQuery);
    }

    [Fact]
    public async Task A_copied_session_cookie_no_longer_works_after_rp_initiated_logout()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var victim = new Browser(Server);
        var tokens = await dan.WebTokensAsync(victim, Protocol, "openid");
        using var attacker = new Browser(Server, victim);

        var logout = await victim.GetAsync($"/connect/endsession?id_token_hint={(string)tokens.Json["id_token"]!}");
        Assert.Equal(302, logout.Status);

        Assert.Contains("You are not signed in.", (await attacker.GetAsync("/account")).Html);
        var replay = await attacker.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null));
        Assert.StartsWith("/account/sign-in", new Uri(Server.BaseAddress, replay.Location).PathAndQuery);
    }

    [Fact]
    public async Task The_account_page_lists_each_active_session_with_its_device_and_marks_this_one()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var laptop = new Browser(Server);
        laptop.Http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0");
        await dan.SignInAsync(laptop);
        using var phone = new Browser(Server);
        phone.Http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36");
        await dan.SignInAsync(phone);

        var page = await laptop.GetAsync("/account");

        Assert.Equal(2, SessionRow().Count(page.Html));
        var rows = SessionRow().Matches(page.Html).Select(m => m.Value).ToList();
        Assert.Contains(rows, r => r.Contains("Firefox on Windows", StringComparison.Ordinal) && r.Contains("(this session)", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Chrome on Android", StringComparison.Ordinal) && !r.Contains("(this session)", StringComparison.Ordinal));
        Assert.Contains("127.0.0.1", page.Html);
        Assert.Contains("id=\"sign-out-everywhere\"", page.Html);
    }

    [Fact]
    public async Task Signing_out_another_session_from_the_account_page_ends_that_session_only()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var laptop = new Browser(Server);
        await dan.SignInAsync(laptop);
        using var phone = new Browser(Server);
        await dan.SignInAsync(phone);
        var phoneSession = CurrentSessionId((await phone.GetAsync("/account")).Html);

        var ended = await laptop.SubmitAsync(await laptop.GetAsync("/account"), "/account?handler=EndSession", [("session", phoneSession)]);

        Assert.Contains("The session is signed out.", ended.Html);
        Assert.Single(SessionRow().Matches(ended.Html));
        Assert.Contains("You are not signed in.", (await phone.GetAsync("/account")).Html);
        Assert.Contains($"<strong>{dan.Username}</strong>", (await laptop.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_of_the_user()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var laptop = new Browser(Server);
        await dan.SignInAsync(laptop);
        using var phone = new Browser(Server);
        await dan.SignInAsync(phone);
        using var thief = new Browser(Server, phone);

        await laptop.SubmitAsync(await laptop.GetAsync("/account"), "/account?handler=EndAllSessions", []);

        foreach (var browser in new[] { laptop, phone, thief })
            Assert.Contains("You are not signed in.", (await browser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task A_user_cannot_end_a_session_of_another_user()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        var eve = await TestUser.CreateAsync(Protocol, "eve");
        using var dansBrowser = new Browser(Server);
        await dan.SignInAsync(dansBrowser);
        var dansSession = CurrentSessionId((await dansBrowser.GetAsync("/account")).Html);
        using var evesBrowser = new Browser(Server);
        await eve.SignInAsync(evesBrowser);

        var refused = await evesBrowser.SubmitAsync(await evesBrowser.GetAsync("/account"), "/account?handler=EndSession", [("session", dansSession)]);

        Assert.Contains("That session is not one of your active sessions.", refused.Html);
        Assert.Contains($"<strong>{dan.Username}</strong>", (await dansBrowser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task Signing_out_everywhere_without_the_anti_forgery_token_is_refused_and_ends_nothing()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var browser = new Browser(Server);
        await dan.SignInAsync(browser);

        var forged = await browser.SubmitAsync(await browser.GetAsync("/account"), "/account?handler=EndAllSessions", [], withAntiforgery: false);

        Assert.Equal(400, forged.Status);
        Assert.Contains($"<strong>{dan.Username}</strong>", (await browser.GetAsync("/account")).Html);
    }

    internal static string CurrentSessionId(string accountHtml)
    {
        // The row marked "this session" carries its session id in the row's sign-out form.
        var row = SessionRow().Matches(accountHtml).Single(m => m.Value.Contains("this-session", StringComparison.Ordinal));
        return Regex.Match(row.Value, "name=\"session\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    [GeneratedRegex("<tr class=\"session\">.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex SessionRow();
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class ServerSideSessionTests_Sqlite(SqlitePeopleFixture f) : ServerSideSessionTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class ServerSideSessionTests_Postgres(PostgresPeopleFixture f) : ServerSideSessionTests(f.Server);

[Collection(PgBouncerPeopleCollection.Name)]
public sealed class ServerSideSessionTests_PgBouncer(PgBouncerPeopleFixture f) : ServerSideSessionTests(f.Server);
