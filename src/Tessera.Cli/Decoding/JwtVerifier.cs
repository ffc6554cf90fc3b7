using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Cli.Decoding;

/// <summary>One check of <c>decode --verify</c>: passed, failed (with why), or not made (with why not).</summary>
public sealed record Check(string Name, string Outcome, string Detail)
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}

/// <summary>What the token is checked against.</summary>
public sealed record Expectations(IReadOnlyList<SecurityKey> Keys, bool SharedSecret, string? Issuer, string? Audience, string Type);

/// <summary>
/// Verifies a JWT one check at a time, so the verdict names the check that failed: the signature (through
/// Microsoft.IdentityModel with only the given keys and algorithms), then iss, aud, exp, nbf and typ.
/// </summary>
public static class JwtVerifier
{
    private static readonly string[] AsymmetricAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];
    private static readonly string[] SymmetricAlgorithms = ["HS256", "HS384", "HS512"];

    public static async Task<IReadOnlyList<Check>> VerifyAsync(string jwt, JsonWebToken token, Expectations expected, DateTimeOffset now)
    {
        var checks = new List<Check> { await SignatureAsync(jwt, token, expected) };

        checks.Add(expected.Issuer is null
            ? new Check("iss", Check.Skipped, "no issuer to compare with")
            : token.Issuer == expected.Issuer
                ? new Check("iss", Check.Passed, token.Issuer)
                : new Check("iss", Check.Failed, $"the issuer is '{token.Issuer}', not '{expected.Issuer}'"));

        var audiences = token.Audiences.ToList();
        checks.Add(expected.Audience is null
            ? new Check("aud", audiences.Count > 0 ? Check.Skipped : Check.Failed, audiences.Count > 0 ? "no --audience given" : "the token names no audience")
            : audiences.Contains(expected.Audience)
                ? new Check("aud", Check.Passed, expected.Audience)
                : new Check("aud", Check.Failed, $"the audience is '{string.Join(", ", audiences)}', not '{expected.Audience}'"));

        // RFC 7519 §4.1.4: the token must not be accepted on or after exp.
        checks.Add(!token.TryGetPayloadValue<long>("exp", out var exp)
            ? new Check("exp", Check.Failed, "the token has no expiry")
            : exp > now.ToUnixTimeSeconds()
                ? new Check("exp", Check.Passed, RelativeTime.Describe(exp, now, "expires", "expired"))
                : new Check("exp", Check.Failed, RelativeTime.Describe(exp, now, "expires", "expired")));

        // RFC 7519 §4.1.5: nor before nbf.
        checks.Add(!token.TryGetPayloadValue<long>("nbf", out var nbf)
            ? new Check("nbf", Check.Skipped, "the token has no nbf")
            : nbf <= now.ToUnixTimeSeconds()
                ? new Check("nbf", Check.Passed, RelativeTime.Describe(nbf, now, "valid", "valid since"))
                : new Check("nbf", Check.Failed, RelativeTime.Describe(nbf, now, "not valid until", "valid since")));

        // RFC 9068 §4: an access token's typ is at+jwt (an ID token's is JWT: --typ JWT).
        checks.Add(string.Equals(token.Typ, expected.Type, StringComparison.OrdinalIgnoreCase)
            ? new Check("typ", Check.Passed, token.Typ)
            : new Check("typ", Check.Failed, $"the type is '{(string.IsNullOrEmpty(token.Typ) ? "(none)" : token.Typ)}', not '{expected.Type}'"));
        return checks;
    }

    private static async Task<Check> SignatureAsync(string jwt, JsonWebToken token, Expectations expected)
    {
        var algorithms = expected.SharedSecret ? SymmetricAlgorithms : AsymmetricAlgorithms;
        if (!algorithms.Contains(token.Alg))
            return new Check("signature", Check.Failed, $"alg '{token.Alg}' is not accepted with {(expected.SharedSecret ? "a shared secret" : "a JWKS")}");

        // A secret given on the command line has no key id: it is meant for whatever kid the token names.
        var keys = expected.SharedSecret
            ? expected.Keys.OfType<SymmetricSecurityKey>().Select(k => (SecurityKey)new SymmetricSecurityKey(k.Key) { KeyId = token.Kid }).ToList()
            : expected.Keys;
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidAlgorithms = algorithms,
            RequireSignedTokens = true,
            // A JWKS key is chosen by kid; a shared secret has no kid of its own.
            TryAllIssuerSigningKeys = expected.SharedSecret,
            // The other checks are made one by one below, each with its own verdict.
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            RequireAudience = false,
        });
        if (result.IsValid) return new Check("signature", Check.Passed, $"{token.Alg}" + (string.IsNullOrEmpty(token.Kid) ? "" : $", key {token.Kid}"));
        return new Check("signature", Check.Failed, result.Exception switch
        {
            SecurityTokenSignatureKeyNotFoundException => $"no key with kid '{token.Kid}' is in the key set (signed by another key?)",
            SecurityTokenInvalidSignatureException => "the signature does not match the key (the token was changed, or signed with another key)",
            _ => $"the signature could not be checked ({result.Exception?.GetType().Name})",
        });
    }
}
