namespace Tessera.Server.Pages;

/// <summary>
/// Serves one of Pages/Scripts/*.js from the assembly: the pages' only scripts, allowed by their CSP as script-src
/// 'self'. Immutable per build, so cached by ETag; nosniff so each runs only as JavaScript.
/// </summary>
internal sealed class PageScript
{
    /// <summary>The passkey forms' ceremony (sign-in, second step, security page).</summary>
    public static readonly PageScript Passkeys = new("passkeys.js");

    /// <summary>Tells the server the reader's time zone, for dates on the pages (<see cref="Localization.LocalTimes"/>).</summary>
    public static readonly PageScript TimeZone = new("time-zone.js");

    /// <summary>The copy button beside a secret shown once (a new personal access token).</summary>
    public static readonly PageScript Copy = new("copy.js");

    public static IEnumerable<PageScript> All => [Passkeys, TimeZone, Copy];

    private readonly byte[] bytes;
    private readonly string etag;

    private PageScript(string fileName)
    {
        Path = "/js/" + fileName;
        using var stream = typeof(PageScript).Assembly.GetManifestResourceStream("Tessera.Server.Pages.Scripts." + fileName)
            ?? throw new InvalidOperationException(fileName + " is not embedded in the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        bytes = copy.ToArray();
        etag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..16] + "\"";
    }

    public string Path { get; }

    public IResult Serve(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(bytes, "text/javascript; charset=utf-8");
    }
}
