using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;
using OtpNet;
using Tessera.Browser.Tests.Infrastructure;
using static Tessera.Browser.Tests.Infrastructure.SignInFixture;

namespace Tessera.Browser.Tests;

/// <summary>
/// Step-up as a person meets it (issue 17): signed in with a password, then an application asks for a second factor —
/// by <c>acr_values</c>, or by being registered with <c>requireMfa</c> — and the browser goes straight to the code page
/// (no password again). The ID tokens, checked against the JWKS by an independent validator, say pwd before and
/// pwd otp mfa with acr mfa after, and auth_time moves to the step-up.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class StepUpInChromiumTests(SignInFixture fixture) : IDisposable
{
    private const string Mfa = "urn:tessera:acr:mfa";
    private readonly OidcTestClient _client = new(fixture.Server, fixture.Callback.RedirectUri, ClientId, ClientSecret);
    private readonly OidcTestClient _mfaClient = new(fixture.Server, fixture.Callback.RedirectUri, MfaClientId, ClientSecret);

    [Fact]
    public async Task Judy_steps_up_with_a_code_when_an_app_asks_for_acr_mfa()
        => await StepUpAsync("judy", _client, acrValues: Mfa);

    [Fact]
    public async Task Ken_steps_up_with_a_code_for_an_app_that_requires_a_second_factor()
        => await StepUpAsync("ken", _mfaClient, acrValues: null);

    private async Task StepUpAsync(string username, OidcTestClient stepUpClient, string? acrValues)
    {
        await using var chromium = await Chromium.LaunchAsync();
        var before = await _client.NewAuthorizationRequestAsync("openid");
        var after = acrValues is null
            ? await stepUpClient.NewAuthorizationRequestAsync("openid")
            : await stepUpClient.NewAuthorizationRequestAsync("openid", ("acr_values", acrValues));
        Uri first = null!, second = null!;
        string key = "";
        var visited = new List<string>();
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(before.Url);
            await page.FillAsync("input[autocomplete=username]", username);
            await page.FillAsync("input[autocomplete=current-password]", Password);
            await page.ClickAsync("button:has-text('Sign in'):not(:has-text('passkey'))");
            first = await CallbackAsync(page);

            // Still in the password session, the user sets up an authenticator: the session itself stays amr pwd.
            await page.GotoAsync(fixture.Server.Issuer + "/account/security");
            await page.ClickAsync("button:has-text('Set up an authenticator app')");
            key = (await page.TextContentAsync("#authenticator-key"))!.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            await page.FillAsync("input[autocomplete=one-time-code]", Code(key, 0));
            await page.ClickAsync("button:has-text('Turn on two-factor sign-in')");
            await Assertions.Expect(page.Locator("#recovery-codes")).ToBeVisibleAsync();
            await Task.Delay(TimeSpan.FromSeconds(1.1));   // so the step-up's auth_time is a later second

            page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) visited.Add(new Uri(frame.Url).AbsolutePath); };
            await page.GotoAsync(after.Url);
            await page.WaitForURLAsync(url => url.Contains("/account/sign-in/two-factor", StringComparison.Ordinal), Chromium.Committed);
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            await page.FillAsync("input[autocomplete=one-time-code]", Code(key, 1));
            await page.ClickAsync("form:has(#code) button[type=submit]");
            second = await CallbackAsync(page);
        });

        var pwd = await IdTokenAsync(_client, first, before);
        var stepped = await IdTokenAsync(stepUpClient, second, after);
        Assert.Equal(["pwd"], pwd.GetPayloadValue<string[]>("amr"));
        Assert.Equal("urn:tessera:acr:pwd", pwd.GetClaim("acr").Value);
        Assert.Equal(["pwd", "otp", "mfa"], stepped.GetPayloadValue<string[]>("amr"));
        Assert.Equal(Mfa, stepped.GetClaim("acr").Value);
        Assert.True(stepped.GetPayloadValue<long>("auth_time") > pwd.GetPayloadValue<long>("auth_time"));
        Assert.Equal(pwd.Subject, stepped.Subject);
        // Straight to the code page: the password page was not shown again.
        Assert.DoesNotContain("/account/sign-in", visited);
        Assert.Empty(chromium.ConsoleErrors);
    }

    private Task<Uri> CallbackAsync(IPage page) => AppCallback.ReachAsync(page, fixture.Callback.RedirectUri);

    private static async Task<JsonWebToken> IdTokenAsync(OidcTestClient client, Uri landed, AuthorizationRequest request)
    {
        var token = await client.RedeemAsync(OidcTestClient.Query(landed)["code"], request.Verifier);
        Assert.Equal(200, token.Status);
        var validated = await client.ValidateIdTokenAsync((string)token.Json["id_token"]!);
        Assert.True(validated.IsValid, validated.Exception?.ToString());
        var jwt = (JsonWebToken)validated.SecurityToken;
        Assert.Equal(request.Nonce, jwt.GetClaim("nonce").Value);
        return jwt;
    }

    private static string Code(string key, int steps) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * steps));

    public void Dispose()
    {
        _client.Dispose();
        _mfaClient.Dispose();
    }
}
