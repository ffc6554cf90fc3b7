using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Browser.Tests.ExternalIdentities.UpstreamFixture;

namespace Tessera.Browser.Tests.ExternalIdentities;

/// <summary>
/// Signing in to Tessera through another Tessera as a generic OpenID Connect provider, in Chromium: the first sign-in
/// creates the local user, the second reuses it, and an application then gets the upstream's access token through the
/// provider-token API and calls the upstream's userinfo with it.
/// </summary>
[Collection(UpstreamCollection.Name)]
public sealed class SignInThroughAnUpstreamTesseraTests(UpstreamFixture fixture)
{
    [Fact]
    public async Task First_sign_in_creates_the_user_the_second_reuses_it_and_the_api_hands_out_a_working_upstream_token()
    {
        var upstreamSub = await fixture.UpstreamSubjectAsync("ursula");
        var usersBefore = await fixture.DownstreamUserCountAsync();

        await using (var chromium = await Chromium.LaunchAsync())
        {
            await chromium.RunAsync(async page =>
            {
                await page.GotoAsync(fixture.Downstream.BaseAddress + "account/sign-in");
                await page.ClickAsync("#external-upstream");
                await SignInUpstreamAsync(page, "ursula");
                await page.ClickAsync("button[name=decision][value=allow]");
                await page.WaitForURLAsync(fixture.Downstream.BaseAddress + "account", Chromium.Committed);
                await Assertions.Expect(page.Locator("main")).ToContainTextAsync("You are signed in as upstream-");
            });
            Assert.Empty(chromium.ConsoleErrors);
        }
        var created = await fixture.LinkedUserAsync("upstream", upstreamSub);
        Assert.NotNull(created);
        Assert.Equal("ursula Upstream", created.Name);
        Assert.Equal("ursula@example.com", created.Email);
        Assert.False(await fixture.HasPasswordAsync(created.Id));
        Assert.Equal(usersBefore + 1, await fixture.DownstreamUserCountAsync());

        // A second sign-in in a fresh browser (no session anywhere) reuses the link, and carries the return URL through.
        await using (var chromium = await Chromium.LaunchAsync())
        {
            await chromium.RunAsync(async page =>
            {
                await page.GotoAsync(fixture.Downstream.BaseAddress + "account/sign-in?returnUrl=%2Faccount%2Fidentities");
                await page.ClickAsync("#external-upstream");
                await SignInUpstreamAsync(page, "ursula");
                await page.WaitForURLAsync(fixture.Downstream.BaseAddress + "account/identities", Chromium.Committed);
                await Assertions.Expect(page.Locator("#identities")).ToContainTextAsync("Upstream Tessera");

                // The only way this user signs in: removing it is refused, and the link stays.
                await page.ClickAsync("#remove-upstream");
                await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("only way to sign in");
            });
        }
        Assert.Equal(created.Id, (await fixture.LinkedUserAsync("upstream", upstreamSub))?.Id);
        Assert.Equal(usersBefore + 1, await fixture.DownstreamUserCountAsync());

        // The application's client-credentials token with tessera:provider-tokens gets the upstream access token.
        using var http = fixture.Downstream.CreateClient();
        var appToken = await new ProtocolClient(http).ClientCredentialsAsync(AppClientId, AppSecret, "tessera:provider-tokens");
        Assert.Equal(200, appToken.Status);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/users/{created.Id}/identities/upstream/token");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", appToken.AccessToken);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("upstream", (string?)body["provider"]);
        Assert.Contains("openid", (string?)body["scope"]);
        Assert.True((long?)body["expires_at"] > DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        // The token is the upstream's own: its userinfo accepts it and names ursula.
        using var upstream = fixture.Upstream.CreateClient();
        using var userInfo = new HttpRequestMessage(HttpMethod.Get, "connect/userinfo");
        userInfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)body["access_token"]!);
        using var userInfoResponse = await upstream.SendAsync(userInfo);
        Assert.Equal(HttpStatusCode.OK, userInfoResponse.StatusCode);
        Assert.Equal(upstreamSub, (string?)JsonNode.Parse(await userInfoResponse.Content.ReadAsStringAsync())!["sub"]);

        // The stored token is encrypted at rest: the raw access token appears nowhere in the token table.
        Assert.False(await fixture.StoredInClearAsync((string)body["access_token"]!));
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_through_their_linked_provider()
    {
        await using (var chromium = await Chromium.LaunchAsync())
        {
            await chromium.RunAsync(async page =>
            {
                await page.GotoAsync(fixture.Downstream.BaseAddress + "account/sign-in");
                await page.ClickAsync("#external-upstream");
                await SignInUpstreamAsync(page, "dina");
                await page.ClickAsync("button[name=decision][value=allow]");
                await page.WaitForURLAsync(fixture.Downstream.BaseAddress + "account", Chromium.Committed);
            });
        }
        var dina = (await fixture.LinkedUserAsync("upstream", await fixture.UpstreamSubjectAsync("dina")))!;
        using var http = fixture.Downstream.CreateClient();
        var admin = await new ProtocolClient(http).ClientCredentialsAsync(AdminOnlyClientId, AppSecret, "tessera:admin");
        using var disable = new HttpRequestMessage(HttpMethod.Post, $"admin/users/{Uri.EscapeDataString(dina.UserName!)}/disable");
        disable.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(disable)).StatusCode);

        // The upstream still vouches for her, but the local account is disabled: no session, the error page instead.
        await using (var chromium = await Chromium.LaunchAsync())
        {
            await chromium.RunAsync(async page =>
            {
                await page.GotoAsync(fixture.Downstream.BaseAddress + "account/sign-in");
                await page.ClickAsync("#external-upstream");
                await SignInUpstreamAsync(page, "dina");
                await page.WaitForURLAsync(url => url.StartsWith(fixture.Downstream.BaseAddress + "error?", StringComparison.Ordinal), Chromium.Committed);
                await Assertions.Expect(page.Locator("main")).ToContainTextAsync("access_denied");
                await page.GotoAsync(fixture.Downstream.BaseAddress + "account");
                await Assertions.Expect(page.Locator("main")).ToContainTextAsync("You are not signed in.");
            });
        }
    }

    [Fact]
    public async Task Denying_consent_at_the_upstream_ends_on_the_error_page_and_creates_nobody()
    {
        var usersBefore = await fixture.DownstreamUserCountAsync();
        await using var chromium = await Chromium.LaunchAsync();
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(fixture.Downstream.BaseAddress + "account/sign-in");
            await page.ClickAsync("#external-upstream");
            await SignInUpstreamAsync(page, "uma");
            await page.ClickAsync("button[name=decision][value=deny]");
            await page.WaitForURLAsync(url => url.StartsWith(fixture.Downstream.BaseAddress + "error?", StringComparison.Ordinal), Chromium.Committed);
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("You did not allow Upstream Tessera to sign you in.");
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("access_denied");
        });
        Assert.Null(await fixture.LinkedUserAsync("upstream", await fixture.UpstreamSubjectAsync("uma")));
        Assert.Equal(usersBefore, await fixture.DownstreamUserCountAsync());
    }

    [Fact]
    public async Task A_local_user_links_an_upstream_identity_on_the_account_page_and_removes_it_again()
    {
        var upstreamSub = await fixture.UpstreamSubjectAsync("lars");
        await using var chromium = await Chromium.LaunchAsync();
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(fixture.Downstream.BaseAddress + "account/sign-in?returnUrl=%2Faccount%2Fidentities");
            await page.FillAsync("input[autocomplete=username]", "local-lena");
            await page.FillAsync("input[autocomplete=current-password]", Password);
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("#no-identities")).ToBeVisibleAsync();
            await page.ClickAsync("#link-upstream");
            await SignInUpstreamAsync(page, "lars");
            await page.ClickAsync("button[name=decision][value=allow]");
            await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("Upstream Tessera is linked to your account.");
            Assert.Equal("local-lena", (await fixture.LinkedUserAsync("upstream", upstreamSub))?.UserName);

            // She has a password, so the link may go; its stored tokens go with it.
            await page.ClickAsync("#remove-upstream");
            await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("no longer linked");
        });
        Assert.Null(await fixture.LinkedUserAsync("upstream", upstreamSub));
        Assert.Empty(chromium.ConsoleErrors);
    }

    [Theory]
    // The provider may not link by e-mail: the local account with the same verified address is not taken over.
    [InlineData("upstream", "dora", "account_exists")]
    // The provider may, but the upstream does not vouch for this address (email_verified false).
    [InlineData("trusted", "verona", "account_exists")]
    public async Task Linking_by_email_is_refused_unless_the_operator_allows_it_and_the_email_is_verified(string provider, string username, string code)
    {
        var usersBefore = await fixture.DownstreamUserCountAsync();
        var linksBefore = await fixture.DownstreamLinkCountAsync();
        await using var chromium = await Chromium.LaunchAsync();
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(fixture.Downstream.BaseAddress + "account/sign-in");
            await page.ClickAsync("#external-" + provider);
            await SignInUpstreamAsync(page, username);
            await page.ClickAsync("button[name=decision][value=allow]");
            await page.WaitForURLAsync(url => url.StartsWith(fixture.Downstream.BaseAddress + "error?", StringComparison.Ordinal), Chromium.Committed);
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Sign in with your password first");
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync(code);
        });
        Assert.Equal(usersBefore, await fixture.DownstreamUserCountAsync());
        Assert.Equal(linksBefore, await fixture.DownstreamLinkCountAsync());
    }

    [Fact]
    public async Task With_linking_allowed_and_a_verified_email_the_first_sign_in_joins_the_existing_local_account()
    {
        var usersBefore = await fixture.DownstreamUserCountAsync();
        await using var chromium = await Chromium.LaunchAsync();
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(fixture.Downstream.BaseAddress + "account/sign-in");
            await page.ClickAsync("#external-trusted");
            await SignInUpstreamAsync(page, "denis");
            await page.ClickAsync("button[name=decision][value=allow]");
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("You are signed in as local-denis");
        });
        Assert.Equal("local-denis", (await fixture.LinkedUserAsync("trusted", await fixture.UpstreamSubjectAsync("denis")))?.UserName);
        Assert.Equal(usersBefore, await fixture.DownstreamUserCountAsync());
    }

    [Fact]
    public async Task An_unconfirmed_local_address_neither_captures_nor_blocks_the_verified_owners_sign_in()
    {
        // sandra: a confirmed local account and a squatter's unconfirmed one share the address; the link goes to hers.
        // sam: only a squatter has the address; sam gets an account of his own instead of "account exists".
        var usersBefore = await fixture.DownstreamUserCountAsync();
        foreach (var (username, expected) in new[] { ("sandra", "You are signed in as local-sandra"), ("sam", "You are signed in as trusted-") })
        {
            // A browser each: no session at either server carries over from one person to the other.
            await using var chromium = await Chromium.LaunchAsync();
            await chromium.RunAsync(async page =>
            {
                await page.GotoAsync(fixture.Downstream.BaseAddress + "account/sign-in");
                await page.ClickAsync("#external-trusted");
                await SignInUpstreamAsync(page, username);
                await page.ClickAsync("button[name=decision][value=allow]");
                await Assertions.Expect(page.Locator("main")).ToContainTextAsync(expected);
            });
        }
        Assert.Equal("local-sandra", (await fixture.LinkedUserAsync("trusted", await fixture.UpstreamSubjectAsync("sandra")))?.UserName);
        var sam = await fixture.LinkedUserAsync("trusted", await fixture.UpstreamSubjectAsync("sam"));
        Assert.NotNull(sam);
        Assert.NotEqual("local-squatter-sam", sam.UserName);
        Assert.Equal(usersBefore + 1, await fixture.DownstreamUserCountAsync());
    }

    [Fact]
    public async Task An_applications_authorization_request_continues_after_the_external_sign_in_and_its_user_token_opens_only_its_own_provider_token()
    {
        using var client = new OidcTestClient(fixture.Downstream, fixture.Callback.RedirectUri, WebClientId, AppSecret);
        var request = await client.NewAuthorizationRequestAsync("openid tessera:provider-tokens");
        Uri landed = null!;
        await using (var chromium = await Chromium.LaunchAsync())
        {
            await chromium.RunAsync(async page =>
            {
                // The authorization request sends the browser to the sign-in page; the external sign-in must bring it back.
                await page.GotoAsync(request.Url);
                await page.ClickAsync("#external-upstream");
                await SignInUpstreamAsync(page, "ulrich");
                await page.ClickAsync("button[name=decision][value=allow]");
                await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Web App");
                await page.ClickAsync("button[name=decision][value=allow]");
                var callback = fixture.Callback.RedirectUri.ToString();
                await page.WaitForURLAsync(url => url.StartsWith(callback + "?", StringComparison.Ordinal), Chromium.Committed);
                landed = new Uri(page.Url);
            });
            Assert.Empty(chromium.ConsoleErrors);
        }
        var query = OidcTestClient.Query(landed);
        Assert.Equal(request.State, query["state"]);
        var token = await client.RedeemAsync(query["code"], request.Verifier);
        Assert.Equal(200, token.Status);

        var ulrich = await fixture.LinkedUserAsync("upstream", await fixture.UpstreamSubjectAsync("ulrich"));
        Assert.NotNull(ulrich);
        using var http = fixture.Downstream.CreateClient();
        using var own = await ExternalPages.GetWithTokenAsync(http, $"api/users/{ulrich.Id}/identities/upstream/token", token.AccessToken);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        // A user's token is not a key to other users' provider tokens.
        var other = await fixture.DownstreamUserIdAsync("local-dora");
        using var foreign = await ExternalPages.GetWithTokenAsync(http, $"api/users/{other}/identities/upstream/token", token.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", foreign.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_expired_upstream_token_is_refreshed_with_the_upstreams_refresh_token_before_the_api_hands_it_out()
    {
        await using (var chromium = await Chromium.LaunchAsync())
        {
            await chromium.RunAsync(async page =>
            {
                await page.GotoAsync(fixture.Downstream.BaseAddress + "account/sign-in");
                await page.ClickAsync("#external-trusted");
                await SignInUpstreamAsync(page, "rita");
                await page.ClickAsync("button[name=decision][value=allow]");
                await Assertions.Expect(page.Locator("main")).ToContainTextAsync("You are signed in as trusted-");
            });
        }
        var rita = await fixture.LinkedUserAsync("trusted", await fixture.UpstreamSubjectAsync("rita"));
        Assert.NotNull(rita);
        var old = await fixture.ExpireStoredTokenAsync(rita.Id, "trusted");
        Assert.NotNull(old.RefreshToken);
        Assert.Contains("offline_access", old.Scope);

        using var http = fixture.Downstream.CreateClient();
        var appToken = await new ProtocolClient(http).ClientCredentialsAsync(AppClientId, AppSecret, "tessera:provider-tokens");
        using var response = await ExternalPages.GetWithTokenAsync(http, $"api/users/{rita.Id}/identities/trusted/token", appToken.AccessToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var renewed = (string)body["access_token"]!;
        Assert.NotEqual(old.AccessToken, renewed);
        Assert.True((long?)body["expires_at"] > DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);

        // The upstream rotated its refresh token (RFC 9700 §4.14.2): the store keeps the new one, and the new access token works.
        var stored = await fixture.StoredTokenAsync(rita.Id, "trusted");
        Assert.NotEqual(old.RefreshToken, stored!.RefreshToken);
        using var upstream = fixture.Upstream.CreateClient();
        using var userInfo = await ExternalPages.GetWithTokenAsync(upstream, "connect/userinfo", renewed);
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
    }

    private static async Task SignInUpstreamAsync(IPage page, string username)
    {
        await page.FillAsync("input[autocomplete=username]", username);
        await page.FillAsync("input[autocomplete=current-password]", Password);
        await page.ClickAsync("button[type=submit]");
    }
}
