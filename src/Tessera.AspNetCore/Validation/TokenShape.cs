using Tessera.Protocol;

namespace Tessera.AspNetCore.Validation;

/// <summary>
/// What a bearer string can be: a JWT (validated locally), or one of Tessera's two opaque formats (introspected).
/// Anything else cannot be a Tessera token, and is refused without asking the issuer, so random strings sent to an API
/// or the gateway do not turn into introspection load.
/// </summary>
internal static class TokenShape
{
    /// <summary>An opaque access token: <c>tsr_at_</c> and the base64url text of 32 random bytes (43 characters).</summary>
    private const string OpaqueAccessTokenPrefix = OpaqueTokenFormat.AccessTokenPrefix;
    private const int OpaqueAccessTokenRandomLength = OpaqueTokenFormat.RandomLength;

    /// <summary>A personal access token: <c>tsr_pat_</c>, 32 random and 6 checksum base62 characters (the server checks the CRC32).</summary>
    private const string PersonalAccessTokenPrefix = PersonalAccessTokenFormat.Prefix;
    private const int PersonalAccessTokenBodyLength = PersonalAccessTokenFormat.RandomLength + PersonalAccessTokenFormat.ChecksumLength;

    /// <summary>JWT or not: a JWS compact serialization has exactly three dot-separated parts.</summary>
    public static bool IsJwt(string token)
    {
        var first = token.IndexOf('.');
        if (first <= 0) return false;
        var second = token.IndexOf('.', first + 1);
        return second > first + 1 && token.IndexOf('.', second + 1) < 0;
    }

    /// <summary>Prefix, exact length and alphabet of an opaque access token or a personal access token.</summary>
    public static bool CanBeTesseraOpaqueToken(string token) =>
        token.StartsWith(OpaqueAccessTokenPrefix, StringComparison.Ordinal)
            ? token.Length == OpaqueAccessTokenPrefix.Length + OpaqueAccessTokenRandomLength
              && token.AsSpan(OpaqueAccessTokenPrefix.Length).ContainsAnyExcept(Base64UrlAlphabet) is false
            : token.StartsWith(PersonalAccessTokenPrefix, StringComparison.Ordinal)
              && token.Length == PersonalAccessTokenPrefix.Length + PersonalAccessTokenBodyLength
              && token.AsSpan(PersonalAccessTokenPrefix.Length).ContainsAnyExcept(Base62Alphabet) is false;

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    private static readonly System.Buffers.SearchValues<char> Base62Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}
