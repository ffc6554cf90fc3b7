namespace Tessera.Server.Protocol.Rules;

/// <summary>
/// RFC 7591 §2 logo_uri and client_uri: what a client may register to be shown by (its logo on the consent page, its
/// home page linked from there). The logo is fetched by the user's browser from a page whose CSP allows only its origin,
/// and the link is followed by the user: so https only (no data:, javascript: or http), no userinfo (it would be shown
/// as if it were the host, and it cannot go into a CSP source), no fragment, nothing a header or an attribute could
/// break on, and at most the column's 2000 characters.
/// </summary>
public static class ClientDisplayUris
{
    public const int MaxLength = 2000;

    /// <summary>Why the value cannot be registered, or null.</summary>
    public static string? ProblemWithRegistration(string value)
    {
        if (value.Length > MaxLength) return $"must have at most {MaxLength} characters";
        // The text must say https itself: Uri would otherwise accept forms a browser reads differently.
        if (!value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0)
            return "must be an absolute https URL (RFC 7591 §2)";
        if (value.Any(c => c <= 0x20 || c >= 0x7F)) return "must not contain spaces or non-ASCII characters";
        if (uri.UserInfo.Length > 0 || AuthorityOf(value).Contains('@', StringComparison.Ordinal))
            return "must not carry a user name or password";
        if (value.Contains('#', StringComparison.Ordinal)) return "must not have a fragment";
        return null;
    }

    private static string AuthorityOf(string value)
    {
        var end = value.IndexOfAny(['/', '?', '#'], 8);
        return end < 0 ? value[8..] : value[8..end];
    }
}
