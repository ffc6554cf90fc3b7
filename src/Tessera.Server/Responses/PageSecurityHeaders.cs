namespace Tessera.Server.Responses;

/// <summary>
/// Headers on every page: no framing (clickjacking on sign-in and consent), a strict CSP (only the server's own script
/// — the passkey forms' — and requests back to the server, no inline script, no external resources), no caching of pages that show personal data, no referrer leaking the authorization request.
/// </summary>
internal static class PageSecurityHeaders
{
    /// <summary>Endpoint metadata that marks the Razor Pages, so the middleware touches nothing else.</summary>
    public sealed class Marker;

    public static IApplicationBuilder UsePageSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<Marker>() is not null) Apply(context.Response, formTarget: null);
        await next(context);
    });

    /// <summary>
    /// A form whose POST ends in a redirect to the client (sign-in, consent) must list that origin in form-action,
    /// because browsers check form-action along the redirect chain.
    /// </summary>
    public static void Apply(HttpResponse response, string? formTarget) => Apply(response, [formTarget]);

    /// <summary>
    /// As above, for a page whose forms redirect to several origins (the external sign-in buttons); and for the consent
    /// page, whose client's logo (<paramref name="imageSource"/>, an https URL checked at registration) is loaded from its
    /// own origin: only that origin (scheme, host, port — never a path or userinfo) is added to img-src.
    /// </summary>
    public static void Apply(HttpResponse response, IEnumerable<string?> formTargets, string? imageSource = null)
    {
        var origins = formTargets
            .Select(t => t is not null && Uri.TryCreate(t, UriKind.Absolute, out var target) ? target.GetLeftPart(UriPartial.Authority) : null)
            .OfType<string>().Distinct(StringComparer.Ordinal);
        var formAction = string.Join(' ', origins.Prepend("'self'"));
        var imgSrc = imageSource is not null && Uri.TryCreate(imageSource, UriKind.Absolute, out var image) && image.Scheme == Uri.UriSchemeHttps
            ? "'self' " + image.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)
            : "'self'";
        var headers = response.Headers;
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src {imgSrc}; form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // The values anti-forgery would set anyway (it logs a warning when it has to override others).
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
    }
}
