using System.Text.RegularExpressions;

namespace Tessera.Server.Configuration;

/// <summary>Branding that would break a page or leak into its markup: a long or empty name, a colour CSS cannot read, missing files.</summary>
internal static partial class BrandingRule
{
    public static readonly IReadOnlySet<string> LogoExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".svg", ".png", ".jpg", ".jpeg", ".webp" };

    public static void Validate(BrandingOptions branding, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(branding.ProductName) || branding.ProductName.Length > 60)
            errors.Add("Tessera:Branding:ProductName must be 1 to 60 characters.");
        // Written into a stylesheet: only a plain hex colour, so nothing else can be smuggled into the CSS.
        if (branding.PrimaryColor is { } color && !HexColor().IsMatch(color))
            errors.Add("Tessera:Branding:PrimaryColor must be a hex colour such as #2f5bd3 or #25b.");
        if (branding.LogoPath is { } logo && (!File.Exists(logo) || !LogoExtensions.Contains(Path.GetExtension(logo))))
            errors.Add("Tessera:Branding:LogoPath must name an existing .svg, .png, .jpg or .webp file.");
        if (branding.StylesheetPath is { } stylesheet && (!File.Exists(stylesheet) || !stylesheet.EndsWith(".css", StringComparison.OrdinalIgnoreCase)))
            errors.Add("Tessera:Branding:StylesheetPath must name an existing .css file.");
    }

    [GeneratedRegex("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexColor();
}
