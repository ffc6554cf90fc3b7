using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Pages;

/// <summary>Issue 20's theming by configuration (Tessera:Branding): name, logo, colour and an operator's stylesheet, no template edited.</summary>
public sealed partial class BrandingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tessera-branding-").FullName;

    [Fact]
    public async Task A_branded_server_shows_its_name_logo_colour_and_stylesheet_all_served_by_itself()
    {
        var logo = Path.Combine(_directory, "logo.svg");
        await File.WriteAllTextAsync(logo, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"32\" height=\"32\"><rect width=\"32\" height=\"32\" fill=\"#f60\"/></svg>");
        var stylesheet = Path.Combine(_directory, "acme.css");
        await File.WriteAllTextAsync(stylesheet, "main { border-radius: 0; }\n");
        await using var server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, PeopleImport.Create(), new Dictionary<string, string?>
        {
            ["Tessera:Branding:ProductName"] = "Acme ID",
            ["Tessera:Branding:PrimaryColor"] = "#b34700",
            ["Tessera:Branding:PrimaryColorDark"] = "#ffb380",
            ["Tessera:Branding:LogoPath"] = logo,
            ["Tessera:Branding:StylesheetPath"] = stylesheet,
        });
        using var http = server.CreateClient();

        var html = await http.GetStringAsync("/account/sign-in");
        var links = StylesheetLinks().Matches(html).Select(m => m.Groups[1].Value).ToList();
        var logoUrl = LogoImage().Match(html).Groups[1].Value;
        using var logoResponse = await http.GetAsync(logoUrl);

        Assert.Contains("<title>Sign in · Acme ID</title>", html, StringComparison.Ordinal);
        Assert.Contains("<span>Acme ID</span>", html, StringComparison.Ordinal);
        // Ours first, then the colour, then the operator's, so the operator's rules win.
        Assert.Equal(3, links.Count);
        Assert.StartsWith("/css/tessera.", links[0], StringComparison.Ordinal);
        // Each scheme its own colour, and button labels in whichever of black and white reads better on it.
        Assert.Equal(
            "@media not all and (prefers-color-scheme: dark) { :root { --tessera-primary: #b34700; --tessera-on-primary: #ffffff; } }\n" +
            "@media (prefers-color-scheme: dark) { :root { --tessera-primary: #ffb380; --tessera-on-primary: #111111; } }\n",
            await http.GetStringAsync(links[1]));
        Assert.Equal("main { border-radius: 0; }\n", await http.GetStringAsync(links[2]));
        Assert.Equal("image/svg+xml", logoResponse.Content.Headers.ContentType?.MediaType);
        // Opened on its own, the SVG is a document of the issuer's origin: it may run nothing.
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'", logoResponse.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData("Tessera:Branding:PrimaryColor", "red; } body { display: none", "Tessera:Branding:PrimaryColor must be a hex colour such as #2f5bd3 or #25b.")]
    [InlineData("Tessera:Branding:PrimaryColor", "#ff6600", "Tessera:Branding:PrimaryColor #ff6600 has a contrast of 2.9:1 against the light card (#ffffff); links need 4.5:1 (WCAG 2.2 1.4.3): choose a darker shade.")]
    [InlineData("Tessera:Branding:PrimaryColorDark", "#2f5bd3", "Tessera:Branding:PrimaryColorDark #2f5bd3 has a contrast of 2.8:1 against the dark card (#1b1e24); links need 4.5:1 (WCAG 2.2 1.4.3): choose a lighter shade.")]
    [InlineData("Tessera:Branding:PrimaryColorDark", "#fff; } *", "Tessera:Branding:PrimaryColorDark must be a hex colour such as #2f5bd3 or #25b.")]
    [InlineData("Tessera:Branding:ProductName", " ", "Tessera:Branding:ProductName must be 1 to 60 characters.")]
    [InlineData("Tessera:Branding:LogoPath", "/nonexistent/logo.svg", "Tessera:Branding:LogoPath must name an existing .svg, .png, .jpg or .webp file.")]
    [InlineData("Tessera:Branding:StylesheetPath", "/nonexistent/site.css", "Tessera:Branding:StylesheetPath must name an existing .css file.")]
    public async Task Branding_that_would_break_a_page_stops_the_start(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TesseraServer.StartAsync(DatabaseKind.Sqlite,
            new JsonObject { ["apiResources"] = new JsonArray(), ["clients"] = new JsonArray() }, new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, error.Failures);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"([^\"]+)\">")]
    private static partial Regex StylesheetLinks();

    [GeneratedRegex("<img src=\"(/img/logo\\.[0-9a-f]{16}\\.svg)\"")]
    private static partial Regex LogoImage();
}
