using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;
using static Tessera.Browser.Tests.Infrastructure.SignInFixture;

namespace Tessera.Browser.Tests;

/// <summary>
/// Passkeys as a person uses them (issue 17), with Chromium's virtual authenticator (DevTools WebAuthn domain): added on
/// the security page, then used to sign in without a username — or as the step after the password — to an application
/// whose ID token, checked against the JWKS, says how (amr hwk user mfa, acr mfa). A captured answer is posted again,
/// with and without a new challenge, and signs nobody in.
/// </summary>
[Collection(PasskeyCollection.Name)]
public sealed class PasskeysInChromiumTests(PasskeyFixture fixture) : IDisposable
{
    private readonly OidcTestClient _client = new(fixture.Server, fixture.Callback.RedirectUri, ClientId, ClientSecret);

    private string Issuer => fixture.Server.Issuer;

    [Fact]
    public async Task Alice_adds_a_passkey_and_signs_in_to_an_app_with_it_without_a_username()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var request = await _client.NewAuthorizationRequestAsync("openid");
        Uri landed = null!;
        VirtualAuthenticator authenticator = null!;
        await chromium.RunAsync(async page =>
        {
            authenticator = await VirtualAuthenticator.AddAsync(page);
            await AddPasskeyAsync(page, "alice", "Test laptop");
            await Expect(page.Locator("#passkeys .passkey-last-used")).ToHaveTextAsync("never");

            await page.Context.ClearCookiesAsync();
            await page.GotoAsync(request.Url);
            await page.ClickAsync("button:has-text('Sign in with a passkey')");
            landed = await ApproveAsync(page);

            await page.GotoAsync(Issuer + "/account/security");
            await Expect(page.Locator("#passkeys .passkey-last-used")).Not.ToHaveTextAsync("never");
        });

        var credential = Assert.Single(await authenticator.CredentialsAsync());
        Assert.Equal("localhost", credential.GetProperty("rpId").GetString());
        var claims = await IdTokenClaimsAsync(landed, request);
        Assert.Equal(["hwk", "user", "mfa"], claims.GetPayloadValue<string[]>("amr"));
        Assert.Equal("urn:tessera:acr:mfa", claims.GetClaim("acr").Value);
        Assert.Empty(chromium.ConsoleErrors);
    }

    [Fact]
    public async Task Bob_gives_his_passkey_as_the_step_after_his_password()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var request = await _client.NewAuthorizationRequestAsync("openid");
        Uri landed = null!;
        await chromium.RunAsync(async page =>
        {
            await VirtualAuthenticator.AddAsync(page);
            await AddPasskeyAsync(page, "bob", "Phone");

            await page.Context.ClearCookiesAsync();
            await page.GotoAsync(request.Url);
            await SignInWithPasswordAsync(page, "bob");
            await page.WaitForURLAsync(url => url.Contains("/account/sign-in/two-factor", StringComparison.Ordinal), Chromium.Committed);
            // No authenticator app: the code page offers the passkey only.
            await Expect(page.Locator("#code")).ToHaveCountAsync(0);
            await page.ClickAsync("button:has-text('Use a passkey')");
            landed = await ApproveAsync(page);
        });

        var claims = await IdTokenClaimsAsync(landed, request);
        Assert.Equal(["pwd", "hwk", "user", "mfa"], claims.GetPayloadValue<string[]>("amr"));
        Assert.Equal("urn:tessera:acr:mfa", claims.GetClaim("acr").Value);
        Assert.Empty(chromium.ConsoleErrors);
    }

    [Fact]
    public async Task A_captured_passkey_answer_posted_again_signs_nobody_in_and_a_removed_passkey_no_longer_signs_in()
    {
        await using var chromium = await Chromium.LaunchAsync();
        await chromium.RunAsync(async page =>
        {
            await VirtualAuthenticator.AddAsync(page);
            await AddPasskeyAsync(page, "carol", "Key");
            await page.Context.ClearCookiesAsync();

            await page.GotoAsync(Issuer + "/account/sign-in");
            var answer = await page.RunAndWaitForRequestAsync(
                () => page.ClickAsync("button:has-text('Sign in with a passkey')"),
                r => r.Method == "POST" && r.Url.EndsWith("handler=passkey", StringComparison.Ordinal));
            var cookies = (await answer.AllHeadersAsync())["cookie"];
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account", Chromium.Committed);
            var captured = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?" + answer.PostData);

            // The whole request again — the answer, the ceremony's cookie, anti-forgery — at the other node: the ceremony
            // was finished in the database by the first, and the authenticator's sign count has moved on since.
            using (var otherNode = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }))
            {
                using var replay = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.OtherNode.BaseAddress, "/account/sign-in?handler=passkey"))
                {
                    Content = new StringContent(answer.PostData!, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
                };
                replay.Headers.Add("Cookie", cookies);
                Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await otherNode.SendAsync(replay)).StatusCode);
            }
            await page.Context.ClearCookiesAsync();
            // With a new ceremony under way: its fresh challenge is not the one the old answer signed.
            Assert.Equal(400, await ReplayAsync(page, captured["credential"]!));
            await page.GotoAsync(Issuer + "/account");
            await Expect(page.Locator("main")).ToContainTextAsync("You are not signed in.");

            // Removed on the security page (with the password), the passkey opens nothing. With a passkey the password
            // alone no longer signs carol in: the passkey is her second step.
            await page.GotoAsync(Issuer + "/account/security");
            await SignInWithPasswordAsync(page, "carol");
            await page.ClickAsync("button:has-text('Use a passkey')");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/security", Chromium.Committed);
            await page.FillAsync("#passkeys input[name=currentPassword]", Password);
            await page.ClickAsync("#passkeys button:has-text('Remove')");
            await Expect(page.Locator("#notice")).ToHaveTextAsync("The passkey \"Key\" is removed.");
            await page.Context.ClearCookiesAsync();
            await page.GotoAsync(Issuer + "/account/sign-in");
            await page.ClickAsync("button:has-text('Sign in with a passkey')");
            await Expect(page.Locator("#problem")).ToHaveTextAsync("The passkey did not sign you in. Try again, or use your password.");
        });
    }

    /// <summary>Signs in with the password on the security page and adds a passkey there.</summary>
    private async Task AddPasskeyAsync(IPage page, string username, string name)
    {
        await page.GotoAsync(Issuer + "/account/security");
        await SignInWithPasswordAsync(page, username);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/security", Chromium.Committed);
        await page.FillAsync("#passkey-name", name);
        await page.FillAsync("#passkey-current", Password);
        await page.ClickAsync("button:has-text('Add a passkey')");
        await Expect(page.Locator("#notice")).ToHaveTextAsync($"The passkey \"{name}\" is added.");
        await Expect(page.Locator("#passkeys .passkey-name")).ToHaveTextAsync(name);
    }

    /// <summary>Begins a new ceremony from a fresh sign-in page, and posts <paramref name="credential"/> to finish it.</summary>
    private async Task<int> ReplayAsync(IPage page, string credential)
    {
        await page.GotoAsync(Issuer + "/account/sign-in");
        var token = await page.InputValueAsync("#passkey input[name=__RequestVerificationToken]");
        var options = await page.APIRequest.PostAsync(Issuer + "/account/sign-in?handler=passkeyoptions",
            new() { Headers = new Dictionary<string, string> { ["RequestVerificationToken"] = token } });
        Assert.Equal(200, options.Status);
        var replay = await page.APIRequest.PostAsync(Issuer + "/account/sign-in?handler=passkey", new()
        {
            Form = page.APIRequest.CreateFormData().Set("credential", credential).Set("__RequestVerificationToken", token).Set("returnUrl", ""),
            MaxRedirects = 0,
        });
        return replay.Status;
    }

    private static async Task SignInWithPasswordAsync(IPage page, string username)
    {
        await page.FillAsync("input[autocomplete=username]", username);
        await page.FillAsync("input[autocomplete=current-password]", Password);
        await page.ClickAsync("button:has-text('Sign in'):not(:has-text('passkey'))");
    }

    private Task<Uri> ApproveAsync(IPage page) => AppCallback.ReachAsync(page, fixture.Callback.RedirectUri);

    private async Task<JsonWebToken> IdTokenClaimsAsync(Uri landed, AuthorizationRequest request)
    {
        var token = await _client.RedeemAsync(OidcTestClient.Query(landed)["code"], request.Verifier);
        Assert.Equal(200, token.Status);
        var validated = await _client.ValidateIdTokenAsync((string)token.Json["id_token"]!);
        Assert.True(validated.IsValid, validated.Exception?.ToString());
        return (JsonWebToken)validated.SecurityToken;
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    public void Dispose() => _client.Dispose();
}
