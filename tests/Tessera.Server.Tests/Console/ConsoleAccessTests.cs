using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Console;

/// <summary>
/// Who gets into /console (issue 20): an anonymous visitor is sent to sign in, a signed-in user without an admin role
/// gets 403 and sees nothing, an administrator whose sign-in gave only a password gives a second factor first, and each
/// area opens to the permission that reads it — every refusal performed as the attack it stops.
/// </summary>
public abstract class ConsoleAccessTests(ConsoleFixture fixture)
{
    private TesseraServer Server => fixture.Server;

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in_and_comes_back_to_the_console()
    {
        using var browser = new Browser(Server);

        var answer = await browser.GetAsync("/console/clients?q=web");

        Assert.Equal(302, answer.Status);
        var signIn = new Uri(Server.BaseAddress, answer.Location).PathAndQuery;
        Assert.Equal("/account/sign-in?ReturnUrl=%2Fconsole%2Fclients%3Fq%3Dweb", signIn);
    }

    [Fact]
    public async Task A_signed_in_user_without_an_admin_role_gets_403_and_no_console_content()
    {
        using var browser = new Browser(Server);
        await Security.SignInTests.SignInAsync(browser, PeopleImport.Alice, PeopleImport.AlicePassword);

        foreach (var path in new[] { "/console", "/console/clients", "/console/users", "/console/clients/web", "/console/audit" })
        {
            var answer = await browser.GetAsync(path);

            Assert.Equal(403, answer.Status);
            Assert.DoesNotContain("console-nav", answer.Html, StringComparison.Ordinal);
        }
        // A browser asking for a page reads why, on the pages' own layout.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/clients/web");
        request.Headers.Accept.ParseAdd("text/html");
        using var page = await browser.Http.SendAsync(request);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("Your account may not open this page.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("console-nav", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_from_a_user_without_an_admin_role_changes_nothing()
    {
        using var browser = new Browser(Server);
        var account = await browser.FollowAsync(await Security.SignInTests.SignInAsync(browser, PeopleImport.Alice, PeopleImport.AlicePassword));

        // Alice's own anti-forgery token: the attack is hers, not a cross-site one.
        var answer = await browser.SubmitAsync(account, "/console/clients/web?handler=delete", [("confirmed", "true")]);

        Assert.Equal(403, answer.Status);
        using var super = await fixture.SignedInAsync(ConsoleFixture.Super);
        Assert.Equal(200, (await super.GetAsync("/console/clients/web")).Status);
    }

    [Fact]
    public async Task An_administrator_whose_sign_in_gave_no_second_factor_sees_nothing_of_the_console()
    {
        using var browser = new Browser(Server);
        await Security.SignInTests.SignInAsync(browser, ConsoleFixture.WithoutSecondFactor, ConsoleFixture.Password);

        foreach (var path in new[] { "/console", "/console/clients", "/console/users" })
        {
            var answer = await browser.GetAsync(path);
            Assert.True(answer.Status == 302, $"{path}: {answer.Status} {answer.Location} {answer.Html[..Math.Min(300, answer.Html.Length)]}");
            Assert.Equal("/console/second-factor", answer.Location);
        }
        var explained = await browser.GetAsync("/console/second-factor");
        Assert.Equal(403, explained.Status);
        Assert.Contains("id=\"second-factor-needed\"", explained.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"figures\"", explained.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_with_a_second_factor_gives_it_before_the_console_opens()
    {
        using var admin = new Browser(Server);
        var signIn = await admin.FollowAsync(await admin.GetAsync("/console"));
        var codePage = await admin.FollowAsync(await admin.SubmitAsync(signIn, signIn.RequestPath,
            [("username", ConsoleFixture.Reader), ("password", ConsoleFixture.Password), ("returnUrl", signIn.Field("returnUrl")!)]));

        // The password alone opened no session: the code page, and the console still sends the browser to sign in.
        // (A session that gave a password only is stepped up on the code page: Console_every_section in Chromium.)
        Assert.StartsWith("/account/sign-in/two-factor", codePage.RequestPath, StringComparison.Ordinal);
        var console = await admin.GetAsync("/console");
        Assert.Equal(302, console.Status);
        Assert.StartsWith("/account/sign-in?", new Uri(Server.BaseAddress, console.Location).PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_sees_every_area_but_the_audit_trail()
    {
        using var reader = await fixture.SignedInAsync(ConsoleFixture.Reader);

        foreach (var path in new[] { "/console", "/console/clients", "/console/clients/web", "/console/apis", "/console/users", "/console/roles", "/console/keys", "/console/providers" })
            Assert.True((await reader.GetAsync(path)).Status == 200, path);
        Assert.Equal(403, (await reader.GetAsync("/console/audit")).Status);
    }

    [Fact]
    public async Task A_client_administrator_opens_clients_and_no_other_area()
    {
        using var clients = await fixture.SignedInAsync(ConsoleFixture.ClientAdmin);

        Assert.Equal(200, (await clients.GetAsync("/console/clients")).Status);
        foreach (var path in new[] { "/console/users", "/console/keys", "/console/roles", "/console/audit" })
            Assert.True((await clients.GetAsync(path)).Status == 403, path);
        var overview = await clients.GetAsync("/console");
        Assert.DoesNotContain("/console/users", overview.Html, StringComparison.Ordinal);
    }
}

[Trait("Category", "Console")]
public sealed class ConsoleAccessTests_Sqlite(SqliteConsoleFixture fixture) : ConsoleAccessTests(fixture), IClassFixture<SqliteConsoleFixture>;

[Trait("Category", "Console")]
public sealed class ConsoleAccessTests_Postgres(PostgresConsoleFixture fixture) : ConsoleAccessTests(fixture), IClassFixture<PostgresConsoleFixture>;
