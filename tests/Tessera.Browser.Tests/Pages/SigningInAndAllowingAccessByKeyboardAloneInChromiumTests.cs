using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;
using static Tessera.Browser.Tests.Pages.PagesFixture;

namespace Tessera.Browser.Tests.Pages;

/// <summary>
/// WCAG 2.1.1 Keyboard and 2.4.7 Focus Visible (issue 20): a person without a mouse signs in to an application and allows
/// it access with the keyboard alone — typing, Tab and Enter — and every control the focus lands on shows an outline.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class SigningInAndAllowingAccessByKeyboardAloneInChromiumTests(PagesFixture fixture) : IClassFixture<PagesFixture>
{
    /// <summary>More than any page here has controls before the one sought; a control never reached fails the test.</summary>
    private const int MaxTabs = 20;

    public static TheoryData<string, int, int> Rows => PageRows.All();

    [Theory, MemberData(nameof(Rows))]
    public async Task Sign_in_and_allow_access_with_the_keyboard_alone(string culture, int width, int height)
    {
        using var client = new OidcTestClient(fixture.Server, fixture.Callback.RedirectUri, WebClientId, WebClientSecret);
        var request = await client.NewAuthorizationRequestAsync("openid profile");
        await using var chromium = await Chromium.LaunchAsync(viewport: new ViewportSize { Width = width, Height = height }, locale: culture);
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(request.Url);
            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath == "/account/sign-in");
            // The username field has the focus on arrival (autofocus); Tab leads to the password, Enter submits.
            await Assertions.Expect(page.Locator("#username")).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync(KeyboardUser(culture, width));
            await TabToAsync(page, "#password");
            await page.Keyboard.TypeAsync(SignInFixture.Password);
            await page.Keyboard.PressAsync("Enter");

            await Chromium.ArrivedAsync(page, url => new Uri(url).AbsolutePath == "/consent");
            await TabToAsync(page, "button[name=decision][value=allow]");
            await page.Keyboard.PressAsync("Enter");
            var callback = fixture.Callback.RedirectUri + "?";
            await Chromium.ArrivedAsync(page, url => url.StartsWith(callback, StringComparison.Ordinal));
            Assert.Contains("code", OidcTestClient.Query(new Uri(page.Url)).Keys);
        });
        Assert.Empty(chromium.ConsoleErrors);
    }

    /// <summary>Presses Tab until <paramref name="selector"/> has the focus, checking each stop shows its focus outline.</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        await PageAudit.LoadedAsync(page);
        for (var tabs = 0; tabs < MaxTabs; tabs++)
        {
            await page.Keyboard.PressAsync("Tab");
            var outline = await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle");
            var focused = await page.EvaluateAsync<string>("document.activeElement.outerHTML.slice(0, 120)");
            Assert.True(outline is not "none" and not "", $"no visible focus outline on {focused}");
            if (await page.Locator(selector).EvaluateAsync<bool>("element => element === document.activeElement")) return;
        }
        Assert.Fail($"{selector} was not reached after {MaxTabs} presses of Tab on {page.Url}");
    }
}
