using System.Net;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Pages;

/// <summary>
/// Issue 20: the pages speak English and 简体中文, chosen by the reader's switcher first, then the application's
/// ui_locales (OIDC Core §3.1.2.1), then the browser's Accept-Language; the protocol's answers stay English.
/// </summary>
public abstract class PageLanguageTests(TesseraServer server) : ServerTest(server)
{
    private static Browser Reading(TesseraServer server, string? acceptLanguage)
    {
        var browser = new Browser(server);
        if (acceptLanguage is not null) browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        return browser;
    }

    [Theory]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("zh", "zh-CN")]
    [InlineData("zh-Hans-CN", "zh-CN")]
    [InlineData("fr-FR, zh;q=0.8, en;q=0.5", "zh-CN")]
    [InlineData("zh-CN;q=0.1, en-GB;q=0.9", "en")]
    [InlineData("zh-TW", "en")]
    [InlineData("zh-Hant-HK, zh-HK", "en")]
    [InlineData(null, "en")]
    public async Task The_browser_language_chooses_the_page_language(string? acceptLanguage, string expected)
    {
        using var browser = Reading(Server, acceptLanguage);

        var page = await browser.GetAsync("/account/sign-in");

        Assert.Equal(200, page.Status);
        Assert.Contains($"<html lang=\"{expected}\" dir=\"ltr\">", page.Html, StringComparison.Ordinal);
        Assert.Contains(expected == "en" ? "<h1>Sign in</h1>" : "<h1>登录</h1>", page.Html, StringComparison.Ordinal);
        Assert.Equal(expected, Assert.Single(page.Response.Content.Headers.ContentLanguage));
    }

    [Fact]
    public async Task Ui_locales_of_the_authorization_request_beat_the_browser_language_through_sign_in_and_its_failure()
    {
        using var browser = Reading(Server, "en-US");

        var signIn = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null, ("ui_locales", "de zh-CN en"))));

        Assert.StartsWith("/account/sign-in", signIn.RequestPath, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"zh-CN\"", signIn.Html, StringComparison.Ordinal);
        // The failed post carries the request only in its form's returnUrl: still Chinese, and the refusal too.
        var refused = await browser.SubmitAsync(signIn, signIn.RequestPath, [("username", PeopleImport.Alice), ("password", "wrong"), ("returnUrl", signIn.Field("returnUrl")!)]);
        Assert.Equal(400, refused.Status);
        Assert.Contains("用户名或密码不正确。", refused.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_switcher_keeps_the_readers_choice_above_ui_locales_and_the_browser_language()
    {
        using var browser = Reading(Server, "en");
        var page = await browser.GetAsync("/account/sign-in");

        var switched = await browser.SubmitAsync(page, "/account/language", [("culture", "zh-CN"), ("returnUrl", "/account/sign-in?x=1")]);

        Assert.Equal(302, switched.Status);
        Assert.Equal("/account/sign-in?x=1", switched.Location);
        var cookie = switched.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("tessera.culture=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        var after = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null, ("ui_locales", "en"))));
        Assert.Contains("<html lang=\"zh-CN\"", after.Html, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"true\">简体中文</button>", after.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example/phish")]
    public async Task The_switcher_is_no_open_redirector(string returnUrl)
    {
        using var browser = Reading(Server, null);
        var page = await browser.GetAsync("/account/sign-in");

        var switched = await browser.SubmitAsync(page, "/account/language", [("culture", "zh-CN"), ("returnUrl", returnUrl)]);

        Assert.Equal(302, switched.Status);
        Assert.Equal("/account", switched.Location);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("zh-TW")]
    [InlineData("")]
    public async Task The_switcher_refuses_a_language_the_pages_do_not_speak(string culture)
    {
        using var browser = Reading(Server, null);
        var page = await browser.GetAsync("/account/sign-in");

        var switched = await browser.SubmitAsync(page, "/account/language", [("culture", culture), ("returnUrl", "/account")]);

        Assert.Equal(400, switched.Status);
        Assert.False(switched.Response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("tessera.culture=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_switcher_needs_the_pages_anti_forgery_token()
    {
        using var browser = Reading(Server, null);
        var page = await browser.GetAsync("/account/sign-in");

        var forged = await browser.SubmitAsync(page, "/account/language", [("culture", "zh-CN"), ("returnUrl", "/account")], withAntiforgery: false);

        Assert.Equal(400, forged.Status);
        Assert.False(forged.Response.Headers.Contains("Set-Cookie") && forged.Response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("tessera.culture=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_protocol_answers_in_English_whatever_the_browser_reads()
    {
        using var browser = Reading(Server, "zh-CN");

        var response = await browser.Http.PostAsync("/connect/token", new FormUrlEncodedContent([new("grant_type", "password")]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentLanguage);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch("[\u4e00-\u9fff]", body);
    }

    [Fact]
    public async Task The_error_page_explains_in_Chinese_and_keeps_the_protocol_code()
    {
        using var browser = Reading(Server, "zh-CN");

        var page = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl("no-such-client", "https://app.example/cb", "openid", NewPkce().Challenge)));

        Assert.Contains("<h1>出错了</h1>", page.Html, StringComparison.Ordinal);
        Assert.Contains("未在本登录服务中注册", page.Html, StringComparison.Ordinal);
        Assert.Contains("<code>invalid_client</code>", page.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN", PeopleImport.NotesReadInChinese, "代表你使用 API 权限“notes:write”")]
    [InlineData("en", PeopleImport.NotesReadInEnglish, "Use the API permission &quot;notes:write&quot; on your behalf")]
    public async Task Consent_words_each_scope_in_the_readers_language_with_the_operators_own_words_first(string language, string notesRead, string notesWrite)
    {
        var user = await TestUser.CreateAsync(Protocol, "lang");
        using var browser = Reading(Server, language);
        var signIn = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid notes:read notes:write", null)));

        var consent = await browser.FollowAsync(await browser.SubmitAsync(signIn, signIn.RequestPath, [("username", user.Username), ("password", user.Password), ("returnUrl", signIn.Field("returnUrl")!)]));

        Assert.StartsWith("/consent", consent.RequestPath, StringComparison.Ordinal);
        Assert.Contains($"<code>notes:read</code>: {notesRead}", consent.Html, StringComparison.Ordinal);
        Assert.Contains(notesWrite, consent.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dates_on_the_account_page_are_in_the_readers_time_zone_or_say_UTC()
    {
        var user = await TestUser.CreateAsync(Protocol, "tz");
        using var browser = Reading(Server, "zh-CN");
        await user.SignInAsync(browser);

        var utc = await browser.GetAsync("/account");
        browser.SetCookie("tessera.time-zone", "Asia/Shanghai");
        var shanghai = await browser.GetAsync("/account");

        var started = TimeOf(utc.Html);
        Assert.Contains($">{started.ToString("g", new System.Globalization.CultureInfo("zh-CN"))} UTC</time>", utc.Html, StringComparison.Ordinal);
        Assert.Contains($">{started.AddHours(8).ToString("g", new System.Globalization.CultureInfo("zh-CN"))}</time>", shanghai.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Not/AZone")]
    [InlineData("../../etc/passwd")]
    public async Task A_time_zone_the_machine_does_not_know_falls_back_to_UTC(string zone)
    {
        var user = await TestUser.CreateAsync(Protocol, "tz");
        using var browser = Reading(Server, "en");
        await user.SignInAsync(browser);
        browser.SetCookie("tessera.time-zone", Uri.EscapeDataString(zone));

        var page = await browser.GetAsync("/account");

        Assert.Equal(200, page.Status);
        Assert.Contains(" UTC</time>", page.Html, StringComparison.Ordinal);
    }

    private static DateTime TimeOf(string html)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, "<time datetime=\"([^\"]+)\">");
        Assert.True(match.Success, html);
        return DateTime.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class PageLanguageTests_Sqlite(SqlitePeopleFixture f) : PageLanguageTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class PageLanguageTests_Postgres(PostgresPeopleFixture f) : PageLanguageTests(f.Server);
