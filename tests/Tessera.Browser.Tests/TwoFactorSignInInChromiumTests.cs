using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;
using OtpNet;
using Tessera.Browser.Tests.Infrastructure;
using static Tessera.Browser.Tests.Infrastructure.SignInFixture;

namespace Tessera.Browser.Tests;

/// <summary>
/// Two-factor sign-in as a person goes through it in Chromium (issue 17): grace sets up an authenticator on the
/// security page (the key read from the page, codes computed with Otp.NET as her app would), then signs in to an
/// application with her password and a code, and again with a recovery code; the ID token, checked against the JWKS,
/// says <c>amr</c> pwd otp mfa and <c>acr</c> urn:tessera:acr:mfa.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class TwoFactorSignInInChromiumTests(SignInFixture fixture) : IDisposable
{
    private const string Grace = "grace";
    private readonly OidcTestClient _client = new(fixture.Server, fixture.Callback.RedirectUri, ClientId, ClientSecret);

    [Fact]
    public async Task Grace_sets_up_an_authenticator_then_signs_in_with_a_code_and_with_a_recovery_code()
    {
        string key = "", recoveryCode = "";
        await using (var setup = await Chromium.LaunchAsync())
        {
            await setup.RunAsync(async page =>
            {
                await page.GotoAsync(fixture.Server.Issuer + "/account/security");
                await SignInAsync(page, Grace, Password);
                await page.ClickAsync("text=Set up an authenticator app");
                await Expect(page.Locator("#authenticator-qr svg")).ToBeVisibleAsync();
                key = (await page.TextContentAsync("#authenticator-key"))!.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
                await page.FillAsync("input[autocomplete=one-time-code]", Code(key, steps: 0));
                await page.ClickAsync("text=Turn on two-factor sign-in");
                await Expect(page.Locator("#recovery-codes")).ToBeVisibleAsync();
                recoveryCode = (await page.Locator(".recovery-code").First.TextContentAsync())!;
            });
            Assert.Empty(setup.ConsoleErrors);
        }

        var withCode = await SignInToTheAppAsync(async page =>
        {
            await page.FillAsync("input[autocomplete=one-time-code]", Code(key, steps: 1));
            await page.ClickAsync("form:has(#code) button[type=submit]");
        });
        var withRecoveryCode = await SignInToTheAppAsync(async page =>
        {
            await page.ClickAsync("text=Use a recovery code instead");
            await page.FillAsync("#recoveryCode", recoveryCode);
            await page.ClickAsync("form:has(#recoveryCode) button[type=submit]");
        });

        foreach (var idToken in new[] { withCode, withRecoveryCode })
        {
            var validated = await _client.ValidateIdTokenAsync(idToken);
            Assert.True(validated.IsValid, validated.Exception?.ToString());
            var claims = (JsonWebToken)validated.SecurityToken;
            Assert.Equal(["pwd", "otp", "mfa"], claims.GetPayloadValue<string[]>("amr"));
            Assert.Equal("urn:tessera:acr:mfa", claims.GetClaim("acr").Value);
        }
    }

    /// <summary>The password, then <paramref name="secondStep"/> on the code page, then consent: the ID token the app redeems.</summary>
    private async Task<string> SignInToTheAppAsync(Func<IPage, Task> secondStep)
    {
        var request = await _client.NewAuthorizationRequestAsync("openid");
        await using var chromium = await Chromium.LaunchAsync();
        Uri landed = null!;
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(request.Url);
            await SignInAsync(page, Grace, Password);
            await page.WaitForURLAsync(url => url.Contains("/account/sign-in/two-factor", StringComparison.Ordinal), Chromium.Committed);
            // The code page parsed before typing into it: a fill on a document still loading was once lost in CI.
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            await secondStep(page);
            landed = await AppCallback.ReachAsync(page, fixture.Callback.RedirectUri);
        });
        Assert.Empty(chromium.ConsoleErrors);
        var token = await _client.RedeemAsync(OidcTestClient.Query(landed)["code"], request.Verifier);
        Assert.Equal(200, token.Status);
        return (string)token.Json["id_token"]!;
    }

    private static string Code(string key, int steps) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * steps));

    private static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.FillAsync("input[autocomplete=username]", username);
        await page.FillAsync("input[autocomplete=current-password]", password);
        await page.ClickAsync("button[type=submit]");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    public void Dispose() => _client.Dispose();
}
