namespace Tessera.Server.Protocol.Rules;

/// <summary>Redirect URIs: what may be registered, and how a request's value is matched.</summary>
public static class RedirectUris
{
    /// <summary>
    /// RFC 6749 §3.1.2: absolute, no fragment; RFC 9700 §2.1 and RFC 8252 §7.3: https, or http only on a loopback host.
    /// Returns why the value is unacceptable, or null.
    /// </summary>
    public static string? ProblemWithRegistration(string? value)
    {
        if (string.IsNullOrEmpty(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || !value.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase))
            return "must be an absolute URI (RFC 6749 §3.1.2)";
        if (value.Contains('#')) return "must not have a fragment (RFC 6749 §3.1.2)";
        if (value.Any(c => c <= 0x20 || c >= 0x7F)) return "must not contain spaces or non-ASCII characters";
        if (uri.Scheme == Uri.UriSchemeHttps) return null;
        if (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback) return null;
        return "must use https, or http on a loopback host (RFC 9700 §2.1)";
    }

    /// <summary>RFC 9700 §4.1.3 / RFC 6749 §3.1.2.3: the request's redirect_uri is compared to the registered ones by exact string match.</summary>
    public static bool IsRegistered(string redirectUri, IReadOnlySet<string> registered) => registered.Contains(redirectUri);
}
