using Tessera.Server.Catalog;

namespace Tessera.Server.Protocol.Rules;

/// <summary>
/// Which web origins a client lets browsers call the browser-facing endpoints from (CORS): its allowedCorsOrigins when
/// it lists them, else for a public client the origins of its redirect URIs — a single-page app without a backend runs
/// where it is redirected to. A confidential client has a backend that calls the server itself, so it gets none unless
/// it asks. Origins are compared exactly as browsers serialize them (RFC 6454 §6.2).
/// </summary>
public static class CorsOrigins
{
    public static IEnumerable<string> Of(RegisteredClient client) =>
        client.AllowedCorsOrigins ?? (client.IsPublic ? client.RedirectUris.Select(OriginOf).OfType<string>() : []);

    /// <summary>
    /// An allowedCorsOrigins value: an origin alone, as browsers send it, https or http on a loopback host (RFC 9700
    /// §2.1, like redirect URIs). Returns why the value is unacceptable, or null.
    /// </summary>
    public static string? ProblemWithRegistration(string? value)
    {
        if (string.IsNullOrEmpty(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || !value.Contains("://", StringComparison.Ordinal))
            return "must be an origin: https://host[:port] (RFC 6454 §4)";
        // RFC 6454 §4: an origin is scheme, host and port; a path, even "/", would never equal a browser's Origin header.
        if (uri.UserInfo.Length > 0 || value.IndexOfAny(['/', '?', '#'], value.IndexOf("://", StringComparison.Ordinal) + 3) >= 0)
            return "must be an origin alone, without user, path (not even '/'), query or fragment (RFC 6454 §4)";
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback) return "must use https, or http on a loopback host (RFC 9700 §2.1)";
        // RFC 6454 §6.2: compared exactly, so it must be written the way browsers serialize it.
        var origin = OriginOf(value);
        return origin == value ? null : $"must be written as browsers send it: '{origin}' (RFC 6454 §6.2)";
    }

    /// <summary>
    /// RFC 6454 §6.2: "https://app.example" or "http://127.0.0.1:3000" — lower case, the host in its ASCII (xn--) form,
    /// no default port. Null for a URI no web page runs at (a native app's private-use scheme).
    /// </summary>
    public static string? OriginOf(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed)) return null;
        if (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp) return null;
        if (parsed.Host.Length == 0) return null;
        // IdnHost is the A-label form browsers send; an IPv6 literal keeps its brackets through Host.
        var host = parsed.HostNameType == UriHostNameType.IPv6 ? parsed.Host : parsed.IdnHost;
        return parsed.IsDefaultPort ? $"{parsed.Scheme}://{host}" : $"{parsed.Scheme}://{host}:{parsed.Port}";
    }
}
