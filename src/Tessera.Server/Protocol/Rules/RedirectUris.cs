using Tessera.Server.Catalog;

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

    /// <summary>
    /// The authorization request's redirect_uri: an exact match, or for a public (native) client a loopback IP redirect
    /// that differs from a registered one in its port only.
    /// </summary>
    public static bool IsRegistered(string redirectUri, RegisteredClient client) =>
        client.RedirectUris.Contains(redirectUri)
        || (client.IsPublic && client.RedirectUris.Any(registered => IsSameLoopbackRedirectOnAnotherPort(redirectUri, registered)));

    /// <summary>
    /// RFC 8252 §7.3: for loopback IP redirect URIs the server must allow any port, since a native app listens on
    /// whatever port is free. Only the IP literals 127.0.0.1 and [::1] (RFC 8252 §8.3: not "localhost"), over http, and
    /// every other part (path, query) exactly as registered.
    /// </summary>
    public static bool IsSameLoopbackRedirectOnAnotherPort(string requested, string registered)
    {
        if (!Uri.TryCreate(requested, UriKind.Absolute, out var asked) || !Uri.TryCreate(registered, UriKind.Absolute, out var known)) return false;
        if (asked.Scheme != Uri.UriSchemeHttp || known.Scheme != Uri.UriSchemeHttp) return false;
        if (asked.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) || !asked.IsLoopback) return false;
        if (!string.Equals(asked.Host, known.Host, StringComparison.Ordinal)) return false;
        if (asked.UserInfo.Length > 0 || known.UserInfo.Length > 0 || requested.Contains('#')) return false;
        // Compare the text after the authority, so no normalization can make two different URIs equal.
        return string.Equals(AfterAuthority(requested), AfterAuthority(registered), StringComparison.Ordinal)
            && string.Equals(WithoutPort(requested), WithoutPort(registered), StringComparison.Ordinal);
    }

    private static string AfterAuthority(string uri)
    {
        var start = uri.IndexOf("://", StringComparison.Ordinal) + 3;
        var slash = uri.IndexOfAny(['/', '?'], start);
        return slash < 0 ? "" : uri[slash..];
    }

    /// <summary>"http://127.0.0.1:1234/cb" → "http://127.0.0.1": the scheme and host as written, without the port.</summary>
    private static string WithoutPort(string text)
    {
        var start = text.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = text.IndexOfAny(['/', '?'], start);
        var authority = end < 0 ? text[start..] : text[start..end];
        var colon = authority.LastIndexOf(':');
        if (colon > authority.LastIndexOf(']')) authority = authority[..colon];
        return text[..start].ToLowerInvariant() + authority;
    }
}
