using System.Net;
using System.Text.RegularExpressions;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.PersonalAccessTokens;

/// <summary>The account page's personal access tokens: create (shown once), list, revoke; forms need anti-forgery.</summary>
public abstract partial class PersonalAccessTokenPageTests(TesseraServer server) : ServerTest(server)
{
    private static async Task<Browser.Page> SignedInTokensPageAsync(Browser browser)
    {
        var page = await browser.FollowAsync(await browser.GetAsync("/account/tokens"));
        if (page.RequestPath.StartsWith("/account/sign-in", StringComparison.Ordinal))
        {
            page = await browser.SubmitAsync(page, page.RequestPath, [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", page.Field("returnUrl")!)]);
            page = await browser.FollowAsync(page);
        }
        return page;
    }

    [Fact]
    public async Task A_token_made_on_the_page_is_shown_once_works_at_introspection_and_is_listed_without_its_text()
    {
        using var browser = new Browser(Server);
        var page = await SignedInTokensPageAsync(browser);
        Assert.Equal("/account/tokens", page.RequestPath);
        Assert.Contains("value=\"ledger\"", page.Html);
        Assert.DoesNotContain("value=\"tessera:admin\"", page.Html);

        var created = await browser.SubmitAsync(page, "/account/tokens?handler=create", [("name", "from-page"), ("scopes", "ledger"), ("days", "10")]);

        Assert.Equal(200, created.Status);
        var token = WebUtility.HtmlDecode(NewToken().Match(created.Html).Groups[1].Value);
        Assert.StartsWith("tsr_pat_", token);
        var introspected = await Protocol.IntrospectAsync(Service, ServiceSecret, token);
        Assert.True(introspected.Active);
        Assert.Null(introspected.Json["client_id"]);
        Assert.Equal(LedgerAudience, (string?)introspected.Json["aud"]);

        var again = await browser.GetAsync("/account/tokens");
        Assert.Contains("<td>from-page</td>", again.Html);
        Assert.DoesNotContain(token, again.Html);
    }

    [Fact]
    public async Task Revoking_on_the_page_makes_the_token_inactive()
    {
        using var browser = new Browser(Server);
        var created = await browser.SubmitAsync(await SignedInTokensPageAsync(browser), "/account/tokens?handler=create",
            [("name", "revoke-me"), ("scopes", "message"), ("days", "1")]);
        var token = WebUtility.HtmlDecode(NewToken().Match(created.Html).Groups[1].Value);
        var id = Regex.Match(created.Html, "name=\"id\" value=\"([^\"]+)\"[^>]*>\\s*<button type=\"submit\" aria-label=\"Revoke revoke-me\"").Groups[1].Value;
        Assert.NotEmpty(id);

        var revoked = await browser.SubmitAsync(created, "/account/tokens?handler=revoke", [("id", id)]);

        Assert.Contains("The token is revoked.", revoked.Html);
        Assert.DoesNotContain("<td>revoke-me</td>", revoked.Html);
        Assert.False((await Protocol.IntrospectAsync(Service, ServiceSecret, token)).Active);
    }

    [Fact]
    public async Task The_page_refuses_a_token_without_scopes_or_beyond_the_maximum_expiry()
    {
        using var browser = new Browser(Server);
        var page = await SignedInTokensPageAsync(browser);

        var noScope = await browser.SubmitAsync(page, "/account/tokens?handler=create", [("name", "x"), ("days", "1")]);
        var tooLong = await browser.SubmitAsync(page, "/account/tokens?handler=create", [("name", "x"), ("scopes", "ledger"), ("days", "9999")]);
        var admin = await browser.SubmitAsync(page, "/account/tokens?handler=create", [("name", "x"), ("scopes", "tessera:admin"), ("days", "1")]);

        Assert.Contains("at least one scope is required", noScope.Html);
        Assert.Contains("the expiry may be at most 366 days away", tooLong.Html);
        Assert.Contains("scope &#x27;tessera:admin&#x27; cannot be granted to a personal access token", admin.Html);
        Assert.DoesNotContain("id=\"new-token\"", admin.Html);
    }

    [Fact]
    public async Task Creating_without_the_anti_forgery_token_is_refused()
    {
        using var browser = new Browser(Server);
        var page = await SignedInTokensPageAsync(browser);

        var forged = await browser.SubmitAsync(page, "/account/tokens?handler=create", [("name", "csrf"), ("scopes", "ledger"), ("days", "1")], withAntiforgery: false);

        Assert.Equal(400, forged.Status);
        Assert.DoesNotContain("<td>csrf</td>", (await browser.GetAsync("/account/tokens")).Html);
    }

    [GeneratedRegex("<code id=\"new-token\">([^<]+)</code>")]
    private static partial Regex NewToken();
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class PersonalAccessTokenPageTests_Sqlite(SqlitePeopleFixture f) : PersonalAccessTokenPageTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class PersonalAccessTokenPageTests_Postgres(PostgresPeopleFixture f) : PersonalAccessTokenPageTests(f.Server);
