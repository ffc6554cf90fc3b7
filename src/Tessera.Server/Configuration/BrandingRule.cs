using System.Text.RegularExpressions;

namespace Tessera.Server.Configuration;

/// <summary>
/// Branding that would break a page or leak into its markup: a long or empty name, a colour CSS cannot read or a person
/// cannot read on the card, missing files.
/// </summary>
internal static partial class BrandingRule
{
    public static readonly IReadOnlySet<string> LogoExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".svg", ".png", ".jpg", ".jpeg", ".webp" };

    public static void Validate(BrandingOptions branding, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(branding.ProductName) || branding.ProductName.Length > 60)
            errors.Add("Tessera:Branding:ProductName must be 1 to 60 characters.");
        // Written into a stylesheet: only a plain hex colour, so nothing else can be smuggled into the CSS. It is the
        // links' colour on the card, so it must read there (WCAG 2.2 1.4.3) — in light mode, and in dark mode the
        // dark colour, which is Tessera's own unless the operator gives one.
        CheckColor("Tessera:Branding:PrimaryColor", branding.PrimaryColor, ColorContrast.LightSurface, "the light card (#ffffff)", "darker", errors);
        CheckColor("Tessera:Branding:PrimaryColorDark", branding.PrimaryColorDark, ColorContrast.DarkSurface, "the dark card (#1b1e24)", "lighter", errors);
        if (branding.LogoPath is { } logo && (!File.Exists(logo) || !LogoExtensions.Contains(Path.GetExtension(logo))))
            errors.Add("Tessera:Branding:LogoPath must name an existing .svg, .png, .jpg or .webp file.");
        if (branding.StylesheetPath is { } stylesheet && (!File.Exists(stylesheet) || !stylesheet.EndsWith(".css", StringComparison.OrdinalIgnoreCase)))
            errors.Add("Tessera:Branding:StylesheetPath must name an existing .css file.");
    }

    private static void CheckColor(string key, string? color, string surface, string surfaceName, string fix, List<string> errors)
    {
        if (color is null) return;
        if (!HexColor().IsMatch(color))
            errors.Add($"{key} must be a hex colour such as #2f5bd3 or #25b.");
        else if (ColorContrast.Ratio(color, surface) is var ratio && ratio < ColorContrast.MinimumRatio)
            errors.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{key} {color} has a contrast of {ratio:0.0}:1 against {surfaceName}; links need {ColorContrast.MinimumRatio}:1 (WCAG 2.2 1.4.3): choose a {fix} shade."));
    }

    [GeneratedRegex("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexColor();
}
