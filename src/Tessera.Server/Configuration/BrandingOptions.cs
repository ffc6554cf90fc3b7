namespace Tessera.Server.Configuration;

/// <summary>The <c>Tessera:Branding</c> section: how the pages people see look, without editing a template.</summary>
public sealed class BrandingOptions
{
    /// <summary>The name in every page's header and title.</summary>
    public string ProductName { get; set; } = "Tessera";

    /// <summary>A logo file (.svg, .png, .jpg, .webp) shown beside the name; served by Tessera itself (the pages' CSP allows only 'self').</summary>
    public string? LogoPath { get; set; }

    /// <summary>The colour of buttons and links, as #rgb or #rrggbb.</summary>
    public string? PrimaryColor { get; set; }

    /// <summary>An operator's stylesheet, linked after Tessera's own so it can override any rule.</summary>
    public string? StylesheetPath { get; set; }
}
