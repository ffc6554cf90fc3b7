using Microsoft.Extensions.Primitives;

namespace Tessera.Server.Vocabulary;

/// <summary>
/// What the Authorization header says about an access token, read by RFC 6750 §2.1:
/// <c>credentials = "Bearer" 1*SP b64token</c>, or by RFC 9449 §7.1 the same with the scheme <c>DPoP</c>, the scheme in
/// any letter case (RFC 9110 §11.1). The one reader of access-token credentials in the server: the local API scheme and
/// UserInfo both use it.
/// </summary>
public readonly record struct BearerCredential
{
    private BearerCredential(string? token, bool malformed, bool dpop = false) => (Token, IsMalformed, IsDpop) = (token, malformed, dpop);

    /// <summary>The token, when the header holds exactly one well-formed Bearer credential.</summary>
    public string? Token { get; }

    /// <summary>The header is meant as Bearer credentials but is not one well-formed Bearer token (or there are two headers).</summary>
    public bool IsMalformed { get; }

    /// <summary>RFC 9449 §7.1: the token came with the DPoP scheme, so a DPoP proof must come with it.</summary>
    public bool IsDpop { get; }

    /// <summary>No Bearer credentials at all: no header, an empty one, or another scheme (Basic, Negotiate, …).</summary>
    public bool IsAbsent => Token is null && !IsMalformed;

    public static BearerCredential Read(StringValues authorization)
    {
        if (authorization.Count == 0 || (authorization.Count == 1 && string.IsNullOrEmpty(authorization[0]))) return new(null, false);
        // RFC 9110 §11.6.2: Authorization holds one credential and is not a list; of two fields neither is trusted.
        if (authorization.Count > 1) return new(null, true);

        var value = authorization[0]!;
        var schemeEnd = value.IndexOf(' ', StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? value : value[..schemeEnd];
        // RFC 9110 §11.1: the scheme is case-insensitive; credentials of another scheme carry no access token.
        var dpop = scheme.Equals(TokenTypes.DPoP, StringComparison.OrdinalIgnoreCase);
        if (!dpop && !scheme.Equals(TokenTypes.Bearer, StringComparison.OrdinalIgnoreCase)) return new(null, false);

        // RFC 6750 §2.1 (and RFC 9449 §7.1, the same token68): one or more spaces, then the token and nothing after it.
        var token = schemeEnd < 0 ? "" : value[schemeEnd..].TrimStart(' ');
        return IsB64Token(token) ? new(token, false, dpop) : new(null, true);
    }

    /// <summary>RFC 6750 §2.1: <c>b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="</c>.</summary>
    private static bool IsB64Token(string token)
    {
        var body = token.TrimEnd('=');
        if (body.Length == 0) return false;
        foreach (var c in body)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/')) return false;
        return true;
    }
}
