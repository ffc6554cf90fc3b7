using Microsoft.IdentityModel.Tokens;

namespace Tessera.Server.Keys;

/// <summary>The JWS algorithms (RFC 7518 §3.1) Tessera signs with.</summary>
public static class SigningAlgorithms
{
    public const string RS256 = SecurityAlgorithms.RsaSha256;
    public const string PS256 = SecurityAlgorithms.RsaSsaPssSha256;
    public const string ES256 = SecurityAlgorithms.EcdsaSha256;
    public const string HS256 = SecurityAlgorithms.HmacSha256;
    public const string HS384 = SecurityAlgorithms.HmacSha384;
    public const string HS512 = SecurityAlgorithms.HmacSha512;

    /// <summary>Signed with a key pair whose public half is in the JWKS.</summary>
    public static readonly IReadOnlyList<string> Asymmetric = [RS256, PS256, ES256];

    /// <summary>Signed with the API's own shared secret, never published.</summary>
    public static readonly IReadOnlyList<string> Symmetric = [HS256, HS384, HS512];

    public static bool IsAsymmetric(string alg) => Asymmetric.Contains(alg);
    public static bool IsSymmetric(string alg) => Symmetric.Contains(alg);

    /// <summary>RFC 7518 §3.2: the HMAC key must be at least as long as the hash output.</summary>
    public static int SharedSecretBytes(string alg) => alg switch { HS384 => 48, HS512 => 64, _ => 32 };

    /// <summary>What a client may sign a <c>private_key_jwt</c> assertion with; never <c>none</c> or a shared secret.</summary>
    public static readonly IReadOnlyList<string> ClientAssertion =
        [RS256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512, PS256, SecurityAlgorithms.RsaSsaPssSha384,
         SecurityAlgorithms.RsaSsaPssSha512, ES256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512];
}
