using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Rules;

/// <summary>Proof Key for Code Exchange (RFC 7636), S256 only; every PKCE rule of the server is here.</summary>
public static class Pkce
{
    public const string S256 = "S256";

    /// <summary>The checks at the authorization endpoint: passed, or the error to send back.</summary>
    public static Outcome<Checked> CheckChallenge(string? challenge, string? method, bool required)
    {
        // RFC 9700 §2.1.1 (OAuth 2.1 §4.1.1): every client uses PKCE unless an operator opted a confidential client out.
        if (challenge is null && required) return OAuthError.InvalidRequest("code_challenge is required: this client must use PKCE (RFC 9700 §2.1.1)");
        if (challenge is null) return method is null ? Checked.Passed : OAuthError.InvalidRequest("code_challenge_method without code_challenge");
        if (RejectPlainMethod(method) is { Failed: true } plain) return plain;
        // RFC 7636 §4.2: BASE64URL(SHA-256(verifier)) is 43 characters.
        if (challenge.Length != 43 || !challenge.All(IsBase64UrlChar)) return OAuthError.InvalidRequest("code_challenge must be a base64url SHA-256 (43 characters)");
        return Checked.Passed;
    }

    /// <summary>The checks at the token endpoint, against the challenge the code was issued with (RFC 7636 §4.5, §4.6).</summary>
    public static Outcome<Checked> CheckVerifier(string? verifier, string? challenge, bool required)
    {
        // RFC 9700 §2.1.1: a verifier without a challenge is a downgrade attempt.
        if (challenge is null && verifier is not null) return OAuthError.InvalidGrant("code_verifier sent, but the authorization request had no code_challenge");
        // The client was required to use PKCE after this code was issued without it: the code is not redeemed.
        if (challenge is null) return required ? OAuthError.InvalidGrant("the authorization request had no code_challenge, which this client requires") : Checked.Passed;
        if (verifier is null) return OAuthError.InvalidGrant("code_verifier is required");
        if (!IsWellFormedVerifier(verifier)) return OAuthError.InvalidGrant("code_verifier is malformed (RFC 7636 §4.1)");
        return VerifierMatchesChallenge(verifier, challenge) ? Checked.Passed : OAuthError.InvalidGrant("code_verifier does not match the code_challenge");
    }

    /// <summary>RFC 7636 §4.3 defaults a missing method to plain; RFC 9700 §2.1.1: plain is not accepted here.</summary>
    public static Outcome<Checked> RejectPlainMethod(string? method) =>
        method == S256 ? Checked.Passed : OAuthError.InvalidRequest("code_challenge_method must be S256; plain is not supported");

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
