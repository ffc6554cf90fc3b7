namespace Tessera.Server.Configuration;

/// <summary>The <c>Tessera:Branding</c> section: how the pages people see look, without editing a template.</summary>
public sealed class BrandingOptions
{
    /// <summary>The name in every page's header and title.</summary>
    public string ProductName { get; set; } = "Tessera";

    /// <summary>A logo file (.svg, .png, .jpg, .webp) shown beside the name; served by Tessera itself (the pages' CSP allows only 'self').</summary>
    public string? LogoPath { get; set; }

    /// <summary>The colour of buttons and links, as #rgb or #rrggbb; at least 4.5:1 against the white card.</summary>
    public string? PrimaryColor { get; set; }

    /// <summary>The same in dark mode, at least 4.5:1 against the dark card; Tessera's own dark colour when not given.</summary>
    public string? PrimaryColorDark { get; set; }

    /// <summary>An operator's stylesheet, linked after Tessera's own so it can override any rule.</summary>
    public string? StylesheetPath { get; set; }
}
