using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// A password change (the administrator's or the user's own), deleting, disabling and the administrator's "revoke"
/// end everything the user holds: refresh tokens at every client, personal access tokens, and sessions (a stolen
/// cookie included). A disabled user gets nothing new in any way.
/// </summary>
public abstract class CredentialChangeTests(TesseraServer server) : ServerTest(server)
{
    private const string WrongCredentials = "The username or password is not correct.";

    [Fact]
    public async Task An_administrators_password_change_revokes_the_users_refresh_tokens_and_personal_access_tokens()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var browser = new Browser(Server);
        var refreshToken = RefreshTokenOf(await dan.WebTokensAsync(browser, Protocol, "openid offline_access message"));
        var pat = await dan.PersonalAccessTokenAsync(browser, Protocol);
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, pat)).Active);

        var changed = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Put, $"/admin/users/{dan.Username}", new { password = "Dan-new-pass-2" });

        Assert.Equal(200, changed.Status);
        Assert.Equal("invalid_grant", (await RefreshAsync(Protocol, refreshToken)).Error);
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, pat)).Active);
    }

    [Fact]
    public async Task An_administrators_password_change_ends_a_stolen_session_cookie()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var victim = new Browser(Server);
        await dan.CodeAsync(victim, "openid");
        using var thief = new Browser(Server, victim);

        await AdminApi.SendJsonAsync(Protocol, HttpMethod.Put, $"/admin/users/{dan.Username}", new { password = "Dan-new-pass-2" });

        var replay = await thief.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null));
        Assert.StartsWith("/account/sign-in", new Uri(Server.BaseAddress, replay.Location).PathAndQuery);
        Assert.Contains("You are not signed in.", (await victim.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task The_users_own_password_change_ends_every_other_session_and_token_but_keeps_this_browser_signed_in()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var laptop = new Browser(Server);
        var refreshToken = RefreshTokenOf(await dan.WebTokensAsync(laptop, Protocol, "openid offline_access message"));
        using var thief = new Browser(Server, laptop);

        var changed = await laptop.SubmitAsync(await laptop.GetAsync("/account/security"), "/account/security?handler=password",
            [("currentPassword", dan.Password), ("newPassword", "Dan-new-pass-2")]);

        Assert.Contains("Your password is changed.", changed.Html);
        Assert.Equal("invalid_grant", (await RefreshAsync(Protocol, refreshToken)).Error);
        Assert.Contains("You are not signed in.", (await thief.GetAsync("/account")).Html);
        Assert.Contains($"<strong>{dan.Username}</strong>", (await laptop.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task The_users_own_password_change_requires_the_current_password()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var browser = new Browser(Server);
        var refreshToken = RefreshTokenOf(await dan.WebTokensAsync(browser, Protocol, "openid offline_access message"));

        var refused = await browser.SubmitAsync(await browser.GetAsync("/account/security"), "/account/security?handler=password",
            [("currentPassword", "not-the-password"), ("newPassword", "Dan-new-pass-2")]);

        Assert.Contains("Your current password is not correct.", refused.Html);
        Assert.Equal(200, (await RefreshAsync(Protocol, refreshToken)).Status);
        using var other = new Browser(Server);
        Assert.Equal(302, (await dan.SignInAsync(other)).Status);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_and_is_told_only_that_the_username_or_password_is_not_correct()
    {
        var dan = await TestUser.CreateAsync(Protocol);

        var disabled = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, $"/admin/users/{dan.Username}/disable");

        Assert.Equal(200, disabled.Status);
        Assert.True((bool)disabled.Json["disabled"]!);
        using var browser = new Browser(Server);
        var refused = await dan.SignInAsync(browser);
        Assert.Equal(400, refused.Status);
        Assert.Contains(WrongCredentials, refused.Html);
        Assert.Contains("You are not signed in.", (await browser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task A_disabled_user_cannot_refresh_and_their_sessions_end()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var browser = new Browser(Server);
        var refreshToken = RefreshTokenOf(await dan.WebTokensAsync(browser, Protocol, "openid offline_access message"));

        await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, $"/admin/users/{dan.Username}/disable");

        Assert.Equal("invalid_grant", (await RefreshAsync(Protocol, refreshToken)).Error);
        Assert.Contains("You are not signed in.", (await browser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task Introspection_of_a_disabled_users_jwt_opaque_and_personal_access_tokens_answers_inactive()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var browser = new Browser(Server);
        var jwt = (await dan.WebTokensAsync(browser, Protocol, "message")).AccessToken;
        var opaque = (await dan.WebTokensAsync(browser, Protocol, "ledger")).AccessToken;
        var pat = await dan.PersonalAccessTokenAsync(browser, Protocol);
        foreach (var token in new[] { jwt, opaque, pat }) Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active);

        await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, $"/admin/users/{dan.Username}/disable");

        foreach (var token in new[] { jwt, opaque, pat })
        {
            var introspected = await Protocol.IntrospectAsync(Other, OtherSecret, token);
            Assert.False(introspected.Active);
            Assert.Single(introspected.Json);
        }
    }

    [Fact]
    public async Task A_code_issued_before_the_user_was_disabled_cannot_be_redeemed()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var browser = new Browser(Server);
        var code = await dan.CodeAsync(browser, "openid");

        await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, $"/admin/users/{dan.Username}/disable");

        var redeemed = await Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));
        Assert.Equal("invalid_grant", redeemed.Error);
        Assert.Equal("the user is disabled", redeemed.ErrorDescription);
    }

    [Fact]
    public async Task Enabling_a_user_again_restores_sign_in_but_not_the_revoked_tokens()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var browser = new Browser(Server);
        var refreshToken = RefreshTokenOf(await dan.WebTokensAsync(browser, Protocol, "openid offline_access message"));
        await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, $"/admin/users/{dan.Username}/disable");

        var enabled = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, $"/admin/users/{dan.Username}/enable");

        Assert.Equal(200, enabled.Status);
        Assert.False((bool)enabled.Json["disabled"]!);
        Assert.Equal("invalid_grant", (await RefreshAsync(Protocol, refreshToken)).Error);
        using var again = new Browser(Server);
        var signedIn = await dan.SignInAsync(again);
        Assert.Equal(302, signedIn.Status);
        Assert.Contains($"<strong>{dan.Username}</strong>", (await again.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task Revoking_everything_of_a_user_ends_sessions_and_tokens_and_leaves_the_user_enabled()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var browser = new Browser(Server);
        var refreshToken = RefreshTokenOf(await dan.WebTokensAsync(browser, Protocol, "openid offline_access message"));
        var pat = await dan.PersonalAccessTokenAsync(browser, Protocol);

        var revoked = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, $"/admin/users/{dan.Username}/revoke");

        Assert.Equal(204, revoked.Status);
        Assert.Equal("invalid_grant", (await RefreshAsync(Protocol, refreshToken)).Error);
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, pat)).Active);
        Assert.Contains("You are not signed in.", (await browser.GetAsync("/account")).Html);
        using var again = new Browser(Server);
        Assert.Equal(302, (await dan.SignInAsync(again)).Status);
    }

    [Fact]
    public async Task Deleting_a_user_ends_their_sessions()
    {
        var dan = await TestUser.CreateAsync(Protocol);
        using var victim = new Browser(Server);
        await dan.CodeAsync(victim, "openid");
        using var thief = new Browser(Server, victim);

        Assert.Equal(204, (await AdminApi.SendJsonAsync(Protocol, HttpMethod.Delete, $"/admin/users/{dan.Username}")).Status);

        var replay = await thief.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null));
        Assert.StartsWith("/account/sign-in", new Uri(Server.BaseAddress, replay.Location).PathAndQuery);
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("enable")]
    [InlineData("revoke")]
    public async Task The_user_operations_need_the_admin_token(string operation)
    {
        var dan = await TestUser.CreateAsync(Protocol);
        var anonymous = await AdminApi.PostAsync(Protocol, $"/admin/users/{dan.Username}/{operation}", null);
        Assert.Equal(401, anonymous.Status);
        var unknown = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, $"/admin/users/nobody-{Guid.NewGuid():n}/{operation}");
        Assert.Equal(404, unknown.Status);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class CredentialChangeTests_Sqlite(SqlitePeopleFixture f) : CredentialChangeTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class CredentialChangeTests_Postgres(PostgresPeopleFixture f) : CredentialChangeTests(f.Server);
