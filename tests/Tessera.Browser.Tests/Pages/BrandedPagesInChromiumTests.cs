using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Browser.Tests.Pages;

/// <summary>
/// Issue 20's theming as a person sees it: a server branded by configuration alone (name, logo, colour) shows them in
/// Chromium, its buttons take the brand's colour with a label that reads on it, and the page stays free of serious
/// accessibility problems in light and dark mode. The screenshot is the README's themed example.
/// </summary>
public sealed class BrandedPagesInChromiumTests : IAsyncLifetime
{
    private const string BrandColor = "#0b6e4f";
    private readonly string _directory = Directory.CreateTempSubdirectory("tessera-brand-").FullName;
    private TesseraServer _server = null!;

    public async Task InitializeAsync()
    {
        var logo = Path.Combine(_directory, "acme.svg");
        await File.WriteAllTextAsync(logo,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"32\" height=\"32\" viewBox=\"0 0 32 32\">" +
            "<circle cx=\"16\" cy=\"16\" r=\"15\" fill=\"#0b6e4f\"/><path d=\"M9 23 16 8l7 15h-4l-3-7-3 7z\" fill=\"#ffffff\"/></svg>");
        _server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, SignInFixture.Import(new Uri("http://127.0.0.1:9/callback")), new Dictionary<string, string?>
        {
            ["Tessera:Branding:ProductName"] = "Acme ID",
            ["Tessera:Branding:PrimaryColor"] = BrandColor,
            ["Tessera:Branding:LogoPath"] = logo,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_branded_sign_in_page_shows_the_name_logo_and_colour_and_stays_accessible()
    {
        await using var chromium = await Chromium.LaunchAsync(viewport: new ViewportSize { Width = 1280, Height = 800 }, locale: "en");
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(_server.Issuer + "/account/sign-in");
            await PageAudit.AssertAccessibleAsync(page, "branded-sign-in", "en");

            Assert.Equal("Acme ID", await page.TextContentAsync("header.brand span"));
            Assert.True(await page.EvalOnSelectorAsync<bool>("header.brand img", "img => img.complete && img.naturalWidth > 0"), "the logo did not load");
            var button = "form:has(#password) button[type=submit]";
            Assert.Equal("rgb(11, 110, 79)", await page.EvalOnSelectorAsync<string>(button, "b => getComputedStyle(b).backgroundColor"));
            Assert.Equal("rgb(255, 255, 255)", await page.EvalOnSelectorAsync<string>(button, "b => getComputedStyle(b).color"));
        });
        Assert.Empty(chromium.ConsoleErrors);
    }
}
