using Microsoft.Playwright;
using OtpNet;
using Tessera.Browser.Tests.Infrastructure;
using static Tessera.Browser.Tests.ExternalIdentities.UpstreamFixture;

namespace Tessera.Browser.Tests.ExternalIdentities;

/// <summary>
/// Where Tessera:Mfa:Required is always, a sign-in through an external provider is a first factor only (issue 17): in
/// Chromium, uma signs in through the upstream Tessera and lands on the setup of a second factor, with no session
/// until an authenticator is confirmed; afterwards she is signed in.
/// </summary>
[Collection(UpstreamCollection.Name)]
public sealed class SecondFactorAfterAnUpstreamSignInTests(UpstreamFixture fixture)
{
    [Fact]
    public async Task An_upstream_sign_in_leads_to_setting_up_a_second_factor_before_any_session()
    {
        var downstream = fixture.MfaDownstream.BaseAddress;
        await using var chromium = await Chromium.LaunchAsync();

        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(downstream + "account/sign-in");
            await page.ClickAsync("#external-upstream");
            await page.FillAsync("input[autocomplete=username]", "uma");
            await page.FillAsync("input[autocomplete=current-password]", Password);
            await page.ClickAsync("button[type=submit]");
            // The upstream asks uma's consent unless another test already got it.
            await page.WaitForURLAsync(url => url.Contains("/consent", StringComparison.Ordinal) || url.Contains("/set-up-two-factor", StringComparison.Ordinal), Chromium.Committed);
            if (page.Url.Contains("/consent", StringComparison.Ordinal)) await page.ClickAsync("button[name=decision][value=allow]");
            await page.WaitForURLAsync(url => url.StartsWith(downstream + "account/sign-in/set-up-two-factor", StringComparison.Ordinal), Chromium.Committed);
            await Assertions.Expect(page.Locator("#setup-required")).ToBeVisibleAsync();

            // The attack: leave the setup step and use the downstream as if signed in.
            var security = await page.Context.NewPageAsync();
            await security.GotoAsync(downstream + "account/security");
            Assert.StartsWith(downstream + "account/sign-in", security.Url, StringComparison.Ordinal);
            await security.CloseAsync();

            await page.ClickAsync("button:has-text(\"Set up an authenticator app\")");
            var key = (await page.TextContentAsync("#authenticator-key"))!.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            await page.FillAsync("input[autocomplete=one-time-code]", new Totp(Base32Encoding.ToBytes(key)).ComputeTotp());
            await page.ClickAsync("button:has-text(\"Turn on two-factor sign-in\")");
            await Assertions.Expect(page.Locator("#recovery-codes")).ToBeVisibleAsync();
            await page.ClickAsync("#continue");
            await page.WaitForURLAsync(downstream + "account", Chromium.Committed);
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("You are signed in as upstream-");
        });
        Assert.Empty(chromium.ConsoleErrors);
    }
}
