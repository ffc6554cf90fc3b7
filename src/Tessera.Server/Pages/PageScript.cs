namespace Tessera.Server.Pages;

/// <summary>
/// Serves Pages/Scripts/passkeys.js from the assembly: the only script of the pages, allowed by their CSP as
/// script-src 'self'. Immutable per build, so cached by ETag; nosniff so it runs only as JavaScript.
/// </summary>
internal static class PasskeyScript
{
    public const string Path = "/js/passkeys.js";

    private static readonly byte[] Bytes = Read();
    private static readonly string ETag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Bytes))[..16] + "\"";

    public static IResult Serve(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ETag = ETag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch == ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(Bytes, "text/javascript; charset=utf-8");
    }

    private static byte[] Read()
    {
        using var stream = typeof(PasskeyScript).Assembly.GetManifestResourceStream("Tessera.Server.Pages.Scripts.passkeys.js")
            ?? throw new InvalidOperationException("passkeys.js is not embedded in the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
