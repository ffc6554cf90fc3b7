using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;
using static Tessera.Browser.Tests.Infrastructure.SignInFixture;

namespace Tessera.Browser.Tests;

/// <summary>
/// The authorization code flow (RFC 6749 §4.1, RFC 7636, OIDC Core §3.1) as a person goes through it: a real Chromium
/// follows the redirects, fills the sign-in form found by its autocomplete attributes, clicks the consent buttons and
/// lands on the client's callback, under the pages' real CSP and cookie rules.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class CodeFlowInChromiumTests(SignInFixture fixture) : IDisposable
{
    private readonly OidcTestClient _client = new(fixture.Server, fixture.Callback.RedirectUri, ClientId, ClientSecret);

    [Fact]
    public async Task Signing_in_and_allowing_access_in_Chromium_lands_on_the_callback_with_a_code_that_redeems_for_a_valid_id_token()
    {
        var request = await _client.NewAuthorizationRequestAsync("openid profile email message");
        await using var chromium = await Chromium.LaunchAsync();
        Uri landed = null!;

        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(request.Url);
            await SignInAsync(page, "alice", Password);
            await Expect(page.Locator("main")).ToContainTextAsync("Browser Test App");
            await page.ClickAsync("button[name=decision][value=allow]");
            landed = await WaitForCallbackAsync(page);
        });

        var callback = OidcTestClient.Query(landed);
        Assert.Equal(request.State, callback["state"]);
        Assert.Equal(fixture.Server.Issuer, callback["iss"]);
        Assert.False(callback.ContainsKey("error"));
        Assert.Contains(landed, fixture.Callback.Received);
        Assert.Empty(chromium.ConsoleErrors);

        var token = await _client.RedeemAsync(callback["code"], request.Verifier);
        Assert.Equal(200, token.Status);
        Assert.Equal("Bearer", (string?)token.Json["token_type"]);
        var idToken = (string)token.Json["id_token"]!;
        var validated = await _client.ValidateIdTokenAsync(idToken);
        Assert.True(validated.IsValid, validated.Exception?.ToString());
        var claims = (JsonWebToken)validated.SecurityToken;
        Assert.Equal("RS256", claims.Alg);
        Assert.Equal(request.Nonce, claims.GetClaim("nonce").Value);
        Assert.Equal(OidcTestClient.AtHash(token.AccessToken), claims.GetClaim("at_hash").Value);
        Assert.Equal(NameOf("alice"), claims.GetClaim("name").Value);
        Assert.Equal(EmailOf("alice"), claims.GetClaim("email").Value);
        Assert.Equal(MessagesAudience, new JsonWebToken(token.AccessToken).Audiences.Single());
    }

    [Fact]
    public async Task The_access_token_from_the_browser_sign_in_opens_userinfo_for_the_same_user()
    {
        var request = await _client.NewAuthorizationRequestAsync("openid profile email");
        await using var chromium = await Chromium.LaunchAsync();
        Uri landed = null!;

        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(request.Url);
            await SignInAsync(page, "bob", Password);
            await page.ClickAsync("button[name=decision][value=allow]");
            landed = await WaitForCallbackAsync(page);
        });
        var token = await _client.RedeemAsync(OidcTestClient.Query(landed)["code"], request.Verifier);
        var userInfo = await _client.UserInfoAsync(token.AccessToken);

        Assert.Equal(200, userInfo.Status);
        Assert.Equal(new JsonWebToken((string)token.Json["id_token"]!).Subject, (string?)userInfo.Claims["sub"]);
        Assert.Equal(NameOf("bob"), (string?)userInfo.Claims["name"]);
        Assert.Equal(EmailOf("bob"), (string?)userInfo.Claims["email"]);
        Assert.Equal(401, (await _client.UserInfoAsync("not-a-token")).Status);
    }

    [Fact]
    public async Task Clicking_deny_on_the_consent_page_lands_on_the_callback_with_access_denied_and_no_code()
    {
        var request = await _client.NewAuthorizationRequestAsync("openid profile message");
        await using var chromium = await Chromium.LaunchAsync();
        Uri landed = null!;

        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(request.Url);
            await SignInAsync(page, "carol", Password);
            await page.ClickAsync("button[name=decision][value=deny]");
            landed = await WaitForCallbackAsync(page);
        });

        var callback = OidcTestClient.Query(landed);
        Assert.Equal("access_denied", callback["error"]);
        Assert.Equal(request.State, callback["state"]);
        Assert.False(callback.ContainsKey("code"));
        Assert.Empty(chromium.ConsoleErrors);
    }

    [Fact]
    public async Task A_user_who_already_allowed_access_goes_from_the_sign_in_form_straight_to_the_callback()
    {
        // The first visit records the consent; the second, in a browser with no session, must sign in again and then
        // skips the consent page: the sign-in POST redirects to the client, which the page's form-action must allow.
        for (var visit = 1; visit <= 2; visit++)
        {
            var request = await _client.NewAuthorizationRequestAsync("openid profile");
            await using var chromium = await Chromium.LaunchAsync();
            Uri landed = null!;

            await chromium.RunAsync(async page =>
            {
                await page.GotoAsync(request.Url);
                await SignInAsync(page, "erin", Password);
                if (visit == 1) await page.ClickAsync("button[name=decision][value=allow]");
                landed = await WaitForCallbackAsync(page);
            });

            Assert.Equal(request.State, OidcTestClient.Query(landed)["state"]);
            Assert.True(OidcTestClient.Query(landed).ContainsKey("code"));
            Assert.Empty(chromium.ConsoleErrors);
        }
    }

    [Fact]
    public async Task A_wrong_password_keeps_the_browser_on_the_sign_in_page_with_a_message_and_no_redirect()
    {
        var request = await _client.NewAuthorizationRequestAsync("openid");
        await using var chromium = await Chromium.LaunchAsync();

        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(request.Url);
            await SignInAsync(page, "dave", "Not-the-password-1");
            await Expect(page.Locator("[role=alert]")).ToHaveTextAsync("The username or password is not correct.");
            Assert.Contains("/account/sign-in", page.Url);
            Assert.Equal("dave", await page.InputValueAsync("input[autocomplete=username]"));
            Assert.Equal("", await page.InputValueAsync("input[autocomplete=current-password]"));
        });
        Assert.DoesNotContain(fixture.Callback.Received, uri => OidcTestClient.Query(uri).GetValueOrDefault("state") == request.State);
    }

    private static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.FillAsync("input[autocomplete=username]", username);
        await page.FillAsync("input[autocomplete=current-password]", password);
        await page.ClickAsync("button[type=submit]");
    }

    private async Task<Uri> WaitForCallbackAsync(IPage page)
    {
        var callback = fixture.Callback.RedirectUri.ToString();
        await page.WaitForURLAsync(url => url.StartsWith(callback + "?", StringComparison.Ordinal), Chromium.Committed);
        await Expect(page.Locator("#received")).ToHaveTextAsync("callback received");
        return new Uri(page.Url);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    public void Dispose() => _client.Dispose();
}
