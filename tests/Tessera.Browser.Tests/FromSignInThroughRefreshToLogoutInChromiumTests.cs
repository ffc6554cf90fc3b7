using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Browser.Tests.Infrastructure.JourneyFixture;

namespace Tessera.Browser.Tests;

/// <summary>
/// A web client's whole life with one user in a real Chromium: sign-in and consent (OIDC Core §3.1), the code redeemed
/// with offline_access (RFC 6749 §4.1.3), userinfo, a refresh that rotates the refresh token (RFC 6749 §6, RFC 9700
/// §4.14.2), then RP-initiated logout (OIDC RP-Initiated Logout 1.0) back to the registered URI, after which the
/// browser's session is gone.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class FromSignInThroughRefreshToLogoutInChromiumTests(JourneyFixture fixture) : IClassFixture<JourneyFixture>, IDisposable
{
    private readonly OidcTestClient _client = new(fixture.Server, fixture.Callback.RedirectUri, WebClientId, WebClientSecret);
    private readonly HttpClient _http = fixture.Server.CreateClient();

    [Fact]
    public async Task A_user_signs_in_the_client_refreshes_its_tokens_and_logging_out_in_the_browser_ends_the_session()
    {
        var request = await _client.NewAuthorizationRequestAsync("openid profile email offline_access");
        await using var chromium = await Chromium.LaunchAsync();
        Uri landed = null!;

        // Sign-in → consent (allow) → the callback with a code.
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(request.Url);
            await SignInAsync(page, WebUser);
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync(WebClientName);
            await page.ClickAsync("button[name=decision][value=allow]");
            landed = await WaitForCallbackAsync(page, request.State);
        });
        var callback = OidcTestClient.Query(landed);
        Assert.Equal(fixture.Server.Issuer, callback["iss"]);

        // The code with offline_access: an ID token, an access token and a refresh token.
        var tokens = await _client.RedeemAsync(callback["code"], request.Verifier);
        Assert.Equal(200, tokens.Status);
        var idToken = (string)tokens.Json["id_token"]!;
        var validated = await _client.ValidateIdTokenAsync(idToken);
        Assert.True(validated.IsValid, validated.Exception?.ToString());
        Assert.Equal(request.Nonce, ((JsonWebToken)validated.SecurityToken).GetClaim("nonce").Value);
        var refreshToken = (string?)tokens.Json["refresh_token"];
        Assert.False(string.IsNullOrEmpty(refreshToken), tokens.Json.ToJsonString());

        // Userinfo for the same subject.
        var userInfo = await _client.UserInfoAsync(tokens.AccessToken);
        Assert.Equal(200, userInfo.Status);
        Assert.Equal(new JsonWebToken(idToken).Subject, (string?)userInfo.Claims["sub"]);
        Assert.Equal(SignInFixture.NameOf(WebUser), (string?)userInfo.Claims["name"]);
        Assert.Equal(SignInFixture.EmailOf(WebUser), (string?)userInfo.Claims["email"]);

        // Refresh: a new access token and a new refresh token; the old refresh token is refused from then on.
        var refreshed = await RefreshAsync(refreshToken!);
        Assert.Equal(200, refreshed.Status);
        var newRefreshToken = (string?)refreshed.Json["refresh_token"];
        Assert.False(string.IsNullOrEmpty(newRefreshToken), refreshed.Json.ToJsonString());
        Assert.NotEqual(refreshToken, newRefreshToken);
        Assert.NotEqual(tokens.AccessToken, refreshed.AccessToken);
        Assert.Equal(200, (await _client.UserInfoAsync(refreshed.AccessToken)).Status);
        var replayed = await RefreshAsync(refreshToken!);
        Assert.Equal(400, replayed.Status);
        Assert.Equal("invalid_grant", replayed.Error);

        var endSession = QueryHelpers.AddQueryString(await _client.EndpointAsync("end_session_endpoint"), new Dictionary<string, string?>
        {
            ["id_token_hint"] = idToken, ["post_logout_redirect_uri"] = fixture.Callback.RedirectUri.ToString(), ["state"] = "bye-" + request.State,
        });
        await chromium.RunAsync(async page =>
        {
            // While the session lives, the same authorize URL goes straight back to the client: signed in, consented.
            var again = await _client.NewAuthorizationRequestAsync("openid profile email offline_access");
            await page.GotoAsync(again.Url);
            Assert.True(OidcTestClient.Query(await WaitForCallbackAsync(page, again.State)).ContainsKey("code"));

            // RP-initiated logout lands on the registered post-logout URI with the state.
            await page.GotoAsync(endSession);
            var loggedOut = await WaitForCallbackAsync(page, "bye-" + request.State);
            Assert.Equal(["state"], OidcTestClient.Query(loggedOut).Keys);

            // The session is gone: the authorize URL now shows the sign-in page.
            var afterLogout = await _client.NewAuthorizationRequestAsync("openid profile email offline_access");
            await page.GotoAsync(afterLogout.Url);
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/sign-in", Chromium.Committed);
            await Assertions.Expect(page.Locator("input[autocomplete=username]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("input[autocomplete=current-password]")).ToBeVisibleAsync();
        });

        Assert.Contains(fixture.Callback.Received, uri => OidcTestClient.Query(uri).GetValueOrDefault("state") == "bye-" + request.State);
        Assert.Empty(chromium.ConsoleErrors);
    }

    private Task<ProtocolResponse> RefreshAsync(string refreshToken) =>
        new ProtocolClient(_http).TokenAsync(WebClientId, WebClientSecret, ("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    private static async Task SignInAsync(IPage page, string username)
    {
        await page.FillAsync("input[autocomplete=username]", username);
        await page.FillAsync("input[autocomplete=current-password]", SignInFixture.Password);
        await page.ClickAsync("button[type=submit]");
    }

    /// <summary>Waits until the browser is on the callback listener with this state, and returns that address.</summary>
    private async Task<Uri> WaitForCallbackAsync(IPage page, string state)
    {
        var callback = fixture.Callback.RedirectUri.ToString();
        await page.WaitForURLAsync(url => url.StartsWith(callback + "?", StringComparison.Ordinal)
            && OidcTestClient.Query(new Uri(url)).GetValueOrDefault("state") == state, Chromium.Committed);
        await Assertions.Expect(page.Locator("#received")).ToHaveTextAsync("callback received");
        return new Uri(page.Url);
    }

    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
    }
}
