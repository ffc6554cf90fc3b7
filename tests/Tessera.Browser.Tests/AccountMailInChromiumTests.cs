using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Browser.Tests.Infrastructure.SignInFixture;

namespace Tessera.Browser.Tests;

/// <summary>
/// Account mail as a person meets it (issue 17): the server mails through a real SMTP server on 127.0.0.1, the test
/// reads the message as a mail program would and Chromium follows its link. heidi forgets her password and chooses a
/// new one; ivan signs up and verifies his address.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class AccountMailInChromiumTests(SignInFixture fixture)
{
    private const string Heidi = "heidi";
    private const string NewPassword = "Heidi-new-pass-2";

    [Fact]
    public async Task Heidi_forgets_her_password_follows_the_mailed_link_and_signs_in_with_the_new_one()
    {
        await using var chromium = await Chromium.LaunchAsync();
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(fixture.Server.Issuer + "/account/sign-in");
            await page.ClickAsync("#forgot-password");
            await page.FillAsync("input[autocomplete=email]", EmailOf(Heidi));
            await page.ClickAsync("button:has-text('Send the link')");
            await Expect(page.Locator("#notice")).ToContainTextAsync("a message with a link");

            var message = await fixture.Inbox.WaitForAsync(EmailOf(Heidi));
            await page.GotoAsync(SmtpInbox.LinkIn(message, fixture.Server.Issuer).ToString());
            await page.FillAsync("input[autocomplete=new-password]", NewPassword);
            await page.ClickAsync("button:has-text('Set the new password')");
            await Expect(page.Locator("#notice")).ToContainTextAsync("Your password is changed.");

            await page.ClickAsync("a:has-text('Sign in')");
            await page.FillAsync("input[autocomplete=username]", Heidi);
            await page.FillAsync("input[autocomplete=current-password]", NewPassword);
            await page.ClickAsync("button:has-text('Sign in')");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account", Chromium.Committed);
            await Expect(page.Locator("main")).ToContainTextAsync(Heidi);
        });
        Assert.Empty(chromium.ConsoleErrors);
    }

    [Fact]
    public async Task Ivan_signs_up_and_verifies_his_address_with_the_mailed_link()
    {
        const string ivan = "ivan", email = "ivan@example.com";
        await using var chromium = await Chromium.LaunchAsync();
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(fixture.Server.Issuer + "/account/register");
            await page.FillAsync("input[autocomplete=username]", ivan);
            await page.FillAsync("input[autocomplete=email]", email);
            await page.FillAsync("input[autocomplete=new-password]", "Ivan-test-pass-1");
            await page.ClickAsync("button:has-text('Create account')");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account", Chromium.Committed);
            await page.GotoAsync(fixture.Server.Issuer + "/account/security");
            await Expect(page.Locator("#email-state")).ToContainTextAsync("not verified");

            var message = await fixture.Inbox.WaitForAsync(email);
            await page.GotoAsync(SmtpInbox.LinkIn(message, fixture.Server.Issuer).ToString());
            await page.ClickAsync("button:has-text('Confirm')");
            await Expect(page.Locator("#notice")).ToHaveTextAsync($"{email} is verified.");

            await page.GotoAsync(fixture.Server.Issuer + "/account/security");
            await Expect(page.Locator("#email-state")).ToContainTextAsync("— verified");
        });
        Assert.Empty(chromium.ConsoleErrors);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
