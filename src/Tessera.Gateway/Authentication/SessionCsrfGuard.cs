namespace Tessera.Gateway.Authentication;

/// <summary>
/// A browser sends the session cookie with any request to the gateway, including one a foreign page makes it send.
/// Requests that change something (not GET, HEAD, OPTIONS, TRACE) and ride on the cookie must come from the gateway's
/// own pages: the browser says where they come from (Sec-Fetch-Site, else Origin), and anything else gets 403.
/// SameSite=Lax alone lets a sibling subdomain (same site) through. Bearer-token requests carry no ambient credential
/// and are not checked.
/// </summary>
internal sealed class SessionCsrfGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!GatewayAuthentication.RidesOnSessionCookie(request) || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method) || FromOwnPages(request))
            return next(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private static bool FromOwnPages(HttpRequest request)
    {
        // Fetch Metadata: "same-origin", or "none" (typed into the address bar, a bookmark).
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site is "same-origin" or "none";
        // Older browsers: the Origin of a POST. No Origin and no Fetch Metadata: not a browser, so no ambient cookie to abuse.
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        // The host only: behind a TLS-terminating proxy the gateway may see http where the browser sent https.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
