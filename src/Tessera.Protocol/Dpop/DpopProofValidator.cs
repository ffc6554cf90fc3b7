using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Protocol.Dpop;

/// <summary>
/// RFC 9449 §4.3: checks one DPoP proof JWT against the request it came with. Everything is decided from the proof and
/// the request; replay (§11.1) and server nonces (§8, §9) need the receiver's own state and are checked by the caller
/// with <see cref="DpopProof.Jti"/> and <see cref="DpopProof.Nonce"/>. Parsing and signature checks are Microsoft.IdentityModel's.
/// </summary>
public static class DpopProofValidator
{
    /// <summary>A proof is a small JWT (a header with one public key, five claims): anything longer is not read.</summary>
    public const int MaxProofLength = 8 * 1024;

    /// <summary>§4.2: jti is at least 96 bits of randomness; a bound keeps a stranger's value from filling the replay store.</summary>
    public const int MaxJtiLength = 256;

    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>
    /// Keys already read, by their jwk header's JSON: a client signs every proof with one key, and reading it again (an
    /// ECDsa or RSA import, about twice the cost of the signature check: DpopProofBenchmarks) would be the dominant cost.
    /// The same instance also lets IdentityModel reuse its verifier. Bounded: a stranger's keys cannot grow it.
    /// </summary>
    private static readonly ConcurrentDictionary<string, (JsonWebKey Key, string Thumbprint)> Keys = new(StringComparer.Ordinal);
    private const int MaxCachedKeys = 10_000;

    public static async Task<DpopProofCheck> ValidateAsync(string proof, DpopProofRequirements requirements)
    {
        // §4.3 check 2: a well-formed JWT.
        if (proof.Length > MaxProofLength || !Handler.CanReadToken(proof)) return DpopProofCheck.Fail("the DPoP proof is not a JWT");
        JsonWebToken token;
        try
        {
            token = Handler.ReadJsonWebToken(proof);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return DpopProofCheck.Fail("the DPoP proof is not a JWT");
        }

        // §4.3 check 4: typ dpop+jwt, so no other JWT of the client's can serve as a proof.
        if (!string.Equals(token.Typ, JwtTypes.DpopProof, StringComparison.OrdinalIgnoreCase))
            return DpopProofCheck.Fail("the DPoP proof's typ must be dpop+jwt");
        // §4.3 check 5: an asymmetric algorithm the receiver supports; never "none", never a MAC.
        if (!requirements.Algorithms.Contains(token.Alg))
            return DpopProofCheck.Fail("the DPoP proof's alg must be one of " + string.Join(' ', requirements.Algorithms));

        // §4.3 check 7: the jwk header is a public key; a proof that ships a private key proves nothing.
        if (KeyOf(token) is not var (key, thumbprint)) return DpopProofCheck.Fail("the DPoP proof's jwk header must be a public EC or RSA key");

        // §4.3 check 6: the signature verifies with that key.
        var signature = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = requirements.Algorithms,
            ValidTypes = [JwtTypes.DpopProof],
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = true,
            ValidateIssuer = false,
            ValidateAudience = false,
            // §4.2: a proof has iat, not exp; its age is checked below against the receiver's window.
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateIssuerSigningKey = false,
        });
        if (!signature.IsValid) return DpopProofCheck.Fail("the DPoP proof's signature does not verify with its jwk");

        // §4.3 check 3: the claims a proof must carry.
        if (!token.TryGetPayloadValue<string>("jti", out var jti) || string.IsNullOrEmpty(jti) || jti.Length > MaxJtiLength)
            return DpopProofCheck.Fail("the DPoP proof must carry a jti of at most 256 characters");
        if (!token.TryGetPayloadValue<string>("htm", out var htm) || !token.TryGetPayloadValue<string>("htu", out var htu)
            || !token.TryGetPayloadValue<long>("iat", out var issuedAt))
            return DpopProofCheck.Fail("the DPoP proof must carry htm, htu and iat");

        // §4.3 check 8: the method of this request (methods are case-sensitive, RFC 9110 §9.1).
        if (!string.Equals(htm, requirements.Method, StringComparison.Ordinal))
            return DpopProofCheck.Fail("the DPoP proof's htm does not match the request's method");
        // §4.3 check 9: the URI of this request, without query and fragment, after syntax-based normalization (RFC 3986 §6.2.2).
        if (!SameTarget(htu, requirements.Uri)) return DpopProofCheck.Fail("the DPoP proof's htu does not match the request's URI");

        // §4.3 check 11: created recently; a proof from the future beyond the allowed skew is refused too.
        var now = requirements.Now.ToUnixTimeSeconds();
        var skew = (long)requirements.ClockSkew.TotalSeconds;
        if (issuedAt > now + skew || issuedAt < now - (long)requirements.Lifetime.TotalSeconds - skew)
            return DpopProofCheck.Fail("the DPoP proof's iat is outside the acceptable window");

        // §4.3 check 12: at a resource, the proof names the access token it accompanies.
        if (requirements.AccessToken is { } accessToken)
        {
            if (!token.TryGetPayloadValue<string>("ath", out var ath) || !string.Equals(ath, AccessTokenHash(accessToken), StringComparison.Ordinal))
                return DpopProofCheck.Fail("the DPoP proof's ath does not match the access token");
        }

        var nonce = token.TryGetPayloadValue<string>("nonce", out var value) ? value : null;
        return DpopProofCheck.Passed(new DpopProof(thumbprint, jti, issuedAt, nonce));
    }

    /// <summary>§4.2 ath: base64url of the SHA-256 of the access token's ASCII bytes.</summary>
    public static string AccessTokenHash(string accessToken) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    /// <summary>The proof's public key and its RFC 7638 thumbprint; null when the jwk header is not a public EC or RSA key.</summary>
    private static (JsonWebKey Key, string Thumbprint)? KeyOf(JsonWebToken token)
    {
        if (!token.TryGetHeaderValue<JsonElement>("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object) return null;
        var json = jwk.GetRawText();
        if (Keys.TryGetValue(json, out var known)) return known;
        if (PublicKeyOf(json) is not { } key) return null;
        if (Keys.Count >= MaxCachedKeys) Keys.Clear();
        return Keys[json] = (key, Base64UrlEncoder.Encode(key.ComputeJwkThumbprint()));
    }

    private static JsonWebKey? PublicKeyOf(string json)
    {
        JsonWebKey key;
        try
        {
            key = JsonWebKey.Create(json);
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (key.HasPrivateKey || !string.IsNullOrEmpty(key.K)) return null;
        return key.Kty switch
        {
            JsonWebAlgorithmsKeyTypes.EllipticCurve when !string.IsNullOrEmpty(key.X) && !string.IsNullOrEmpty(key.Y) && !string.IsNullOrEmpty(key.Crv) => key,
            JsonWebAlgorithmsKeyTypes.RSA when !string.IsNullOrEmpty(key.N) && !string.IsNullOrEmpty(key.E) => key,
            _ => null,
        };
    }

    private static bool SameTarget(string htu, string expected)
    {
        if (!Uri.TryCreate(htu, UriKind.Absolute, out var claimed) || !Uri.TryCreate(expected, UriKind.Absolute, out var actual)) return false;
        const UriComponents target = UriComponents.SchemeAndServer | UriComponents.Path;
        return string.Equals(claimed.GetComponents(target, UriFormat.UriEscaped), actual.GetComponents(target, UriFormat.UriEscaped), StringComparison.Ordinal);
    }
}

/// <summary>The outcome of <see cref="DpopProofValidator.ValidateAsync"/>: the proof, or why it was refused (the error_description).</summary>
public sealed record DpopProofCheck(DpopProof? Proof, string? Error)
{
    public static DpopProofCheck Passed(DpopProof proof) => new(proof, null);
    public static DpopProofCheck Fail(string error) => new(null, error);
}
