using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;

namespace Tessera.Server.Pages;

/// <summary>
/// The files the pages link, all served by Tessera itself (the pages' CSP allows only 'self'): Tessera's stylesheet
/// (Styles/tessera.css, embedded), the brand's colour as a stylesheet of its own, the operator's stylesheet and logo
/// (Tessera:Branding). Each URL names its content's hash, so a file is cached for a year and a change is a new URL;
/// any other name is a 404.
/// </summary>
internal sealed class PageAssets
{
    private readonly Dictionary<string, (byte[] Bytes, string ContentType)> _files = new(StringComparer.Ordinal);

    public PageAssets(IOptions<TesseraOptions> options)
    {
        var branding = options.Value.Branding;
        ProductName = branding.ProductName;
        var stylesheets = new List<string> { Add("/css/tessera", ".css", Embedded("Tessera.Server.Pages.Styles.tessera.css"), "text/css; charset=utf-8") };
        // Custom properties the stylesheet reads; BrandingRule let only hex colours through, so nothing else reaches the CSS.
        if (branding.PrimaryColor is not null || branding.PrimaryColorDark is not null)
            stylesheets.Add(Add("/css/brand", ".css", Encoding.UTF8.GetBytes(BrandStylesheet(branding.PrimaryColor, branding.PrimaryColorDark)), "text/css; charset=utf-8"));
        // After Tessera's own, so an operator's rule wins over ours.
        if (branding.StylesheetPath is { } stylesheet)
            stylesheets.Add(Add("/css/operator", ".css", File.ReadAllBytes(stylesheet), "text/css; charset=utf-8"));
        Stylesheets = stylesheets;
        if (branding.LogoPath is { } logo)
        {
            var extension = Path.GetExtension(logo).ToLowerInvariant();
            LogoPath = Add("/img/logo", extension, File.ReadAllBytes(logo), extension switch
            {
                ".svg" => "image/svg+xml",
                ".png" => "image/png",
                ".webp" => "image/webp",
                _ => "image/jpeg",
            });
        }
    }

    /// <summary>
    /// The brand's colours per scheme, each with a button label colour (black or white, whichever reads better on it):
    /// the light colour only where the reader has not asked for dark, so a dark brand colour never becomes link text on
    /// the dark card; dark mode keeps Tessera's own colour unless a dark one is given.
    /// </summary>
    private static string BrandStylesheet(string? light, string? dark)
    {
        var css = new StringBuilder();
        if (light is not null)
            css.Append(CultureInfo.InvariantCulture, $"@media not all and (prefers-color-scheme: dark) {{ :root {{ --tessera-primary: {light}; --tessera-on-primary: {ColorContrast.TextOn(light)}; }} }}\n");
        if (dark is not null)
            css.Append(CultureInfo.InvariantCulture, $"@media (prefers-color-scheme: dark) {{ :root {{ --tessera-primary: {dark}; --tessera-on-primary: {ColorContrast.TextOn(dark)}; }} }}\n");
        return css.ToString();
    }

    /// <summary>The routes every asset request reaches; only the names of <see cref="Stylesheets"/> and <see cref="LogoPath"/> are answered.</summary>
    public const string StylesheetRoute = "/css/{name}";
    public const string ImageRoute = "/img/{name}";

    /// <summary>Paths relative to the issuer, in the order the layout links them.</summary>
    public IReadOnlyList<string> Stylesheets { get; }

    public string? LogoPath { get; }

    public string ProductName { get; }

    public IResult ServeStylesheet(HttpContext context, string name) => Serve(context, "/css/" + name);

    public IResult ServeImage(HttpContext context, string name) => Serve(context, "/img/" + name);

    private IResult Serve(HttpContext context, string path)
    {
        if (!_files.TryGetValue(path, out var file)) return Results.NotFound();
        var headers = context.Response.Headers;
        // RFC 9111 §5.2.2.1 and RFC 8246: a year, immutable — the URL changes whenever the content does.
        headers.CacheControl = "public, max-age=31536000, immutable";
        headers.XContentTypeOptions = "nosniff";
        // An SVG opened on its own is a document of this origin: it may run nothing.
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        return Results.Bytes(file.Bytes, file.ContentType);
    }

    private string Add(string stem, string extension, byte[] bytes, string contentType)
    {
        var path = stem + "." + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + extension;
        _files[path] = (bytes, contentType);
        return path;
    }

    private static byte[] Embedded(string name)
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
