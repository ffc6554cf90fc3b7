using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Server.Protocol.Rules;

/// <summary>Proof Key for Code Exchange (RFC 7636), S256 only; every PKCE rule of the server is here.</summary>
public static class Pkce
{
    public const string S256 = "S256";

    /// <summary>The checks at the authorization endpoint; returns the error to send back, or null.</summary>
    public static OAuthError? CheckChallenge(string? challenge, string? method, bool isPublicClient)
    {
        // RFC 9700 §2.1.1 / RFC 7636 §4.4.1: a public client must use PKCE.
        if (challenge is null && isPublicClient) return OAuthError.InvalidRequest("code_challenge is required for public clients (RFC 7636)");
        if (challenge is null) return method is null ? null : OAuthError.InvalidRequest("code_challenge_method without code_challenge");
        var rejected = RejectPlainMethod(method);
        if (rejected is not null) return rejected;
        // RFC 7636 §4.2: BASE64URL(SHA-256(verifier)) is 43 characters.
        if (challenge.Length != 43 || !challenge.All(IsBase64UrlChar)) return OAuthError.InvalidRequest("code_challenge must be a base64url SHA-256 (43 characters)");
        return null;
    }

    /// <summary>RFC 7636 §4.3 defaults a missing method to plain; RFC 9700 §2.1.1: plain is not accepted here.</summary>
    public static OAuthError? RejectPlainMethod(string? method) =>
        method == S256 ? null : OAuthError.InvalidRequest("code_challenge_method must be S256; plain is not supported");

    /// <summary>RFC 7636 §4.6: the verifier must hash to the challenge (compared in constant time).</summary>
    public static bool VerifierMatchesChallenge(string verifier, string challenge)
    {
        var computed = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    /// <summary>RFC 7636 §4.1: 43 to 128 characters of [A-Z] [a-z] [0-9] - . _ ~.</summary>
    public static bool IsWellFormedVerifier(string verifier) =>
        verifier.Length is >= 43 and <= 128 && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
