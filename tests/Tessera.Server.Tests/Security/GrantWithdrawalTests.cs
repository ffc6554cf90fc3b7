using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>The account page lists the applications a user has granted; withdrawing one revokes what it holds.</summary>
public abstract class GrantWithdrawalTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task The_account_page_lists_each_granted_application_with_its_scopes_and_a_withdraw_button()
    {
        using var browser = new Browser(Server);
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid offline_access message", null)))["code"];
        Assert.NotNull(code);

        var page = await browser.GetAsync("/account");

        Assert.Contains("<strong>The Web App</strong>", page.Html);
        Assert.Contains("<code>offline_access</code>", page.Html);
        Assert.Contains($"name=\"client_id\" value=\"{PeopleImport.Web}\"", page.Html);
        Assert.Contains("<button type=\"submit\" aria-label=\"Withdraw access for The Web App\">", page.Html);
        Assert.NotNull(page.AntiforgeryToken);
    }

    [Fact]
    public async Task Withdrawing_a_grant_kills_its_refresh_tokens_and_their_access_tokens_and_consent_is_asked_again()
    {
        using var browser = new Browser(Server);
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid offline_access ledger", null)))["code"];
        var tokens = await Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));
        var refreshed = await RefreshAsync(Protocol, RefreshTokenOf(tokens));

        var withdrawn = await browser.SubmitAsync(await browser.GetAsync("/account"), "/account", [("client_id", PeopleImport.Web)]);

        Assert.Equal(200, withdrawn.Status);
        Assert.Contains("Access for The Web App is withdrawn.", withdrawn.Html);
        Assert.DoesNotContain("<strong>The Web App</strong>", withdrawn.Html);
        var refresh = await RefreshAsync(Protocol, RefreshTokenOf(refreshed));
        Assert.Equal("invalid_grant", refresh.Error);
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, refreshed.AccessToken)).Active);
        Assert.False((await Protocol.IntrospectAsync(PeopleImport.Web, PeopleImport.WebSecret, RefreshTokenOf(refreshed))).Active);
        var again = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid offline_access ledger", null)));
        Assert.StartsWith("/consent", again.RequestPath);
    }

    [Fact]
    public async Task Withdrawing_one_applications_grant_leaves_the_others_working()
    {
        using var browser = new Browser(Server);
        var (verifier, challenge) = NewPkce();
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Spa, PeopleImport.SpaRedirect, "openid offline_access message", challenge)))["code"];
        var spaTokens = await Protocol.PostAsync("/connect/token", null, ("grant_type", "authorization_code"), ("client_id", PeopleImport.Spa),
            ("code", code), ("redirect_uri", PeopleImport.SpaRedirect), ("code_verifier", verifier));
        var webRefresh = RefreshTokenOf(await WebTokensAsync(Server, Protocol));

        await browser.SubmitAsync(await browser.GetAsync("/account"), "/account", [("client_id", PeopleImport.Web)]);

        Assert.Equal("invalid_grant", (await RefreshAsync(Protocol, webRefresh)).Error);
        var spaRefresh = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "refresh_token"), ("client_id", PeopleImport.Spa), ("refresh_token", RefreshTokenOf(spaTokens)));
        Assert.Equal(200, spaRefresh.Status);
    }

    [Fact]
    public async Task A_withdrawal_posted_without_the_anti_forgery_token_is_refused_and_changes_nothing()
    {
        using var browser = new Browser(Server);
        var refreshToken = RefreshTokenOf(await WebTokensAsync(Server, Protocol));
        await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid offline_access message", null));

        var forged = await browser.SubmitAsync(await browser.GetAsync("/account"), "/account", [("client_id", PeopleImport.Web)], withAntiforgery: false);

        Assert.Equal(400, forged.Status);
        Assert.Equal(200, (await RefreshAsync(Protocol, refreshToken)).Status);
    }

    [Fact]
    public async Task A_device_approval_is_a_grant_that_can_be_withdrawn_too()
    {
        var device = await DeviceFlow.AuthorizeAsync(Protocol, "openid offline_access message");
        await DeviceFlow.UserDecidesAsync(Server, DeviceFlow.UserCode(device), "allow");
        var tokens = await DeviceFlow.PollAsync(Protocol, DeviceFlow.DeviceCode(device));
        using var browser = new Browser(Server);
        var account = await DeviceFlow.OpenAsync(browser, "/account/sign-in?returnUrl=%2Faccount");
        Assert.Contains("<strong>Command-line tool</strong>", account.Html);

        await browser.SubmitAsync(account, "/account", [("client_id", PeopleImport.Cli)]);

        var refresh = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "refresh_token"), ("client_id", PeopleImport.Cli), ("refresh_token", RefreshTokenOf(tokens)));
        Assert.Equal("invalid_grant", refresh.Error);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class GrantWithdrawalTests_Sqlite(SqlitePeopleFixture f) : GrantWithdrawalTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class GrantWithdrawalTests_Postgres(PostgresPeopleFixture f) : GrantWithdrawalTests(f.Server);
