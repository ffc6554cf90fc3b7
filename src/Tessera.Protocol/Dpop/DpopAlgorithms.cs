namespace Tessera.Protocol.Dpop;

/// <summary>
/// RFC 9449 §5.1 dpop_signing_alg_values_supported: the asymmetric JWS algorithms Microsoft.IdentityModel verifies.
/// EdDSA is not among them: IdentityModel has no OKP keys (8.x), and the brief forbids cryptography of our own.
/// </summary>
public static class DpopAlgorithms
{
    public static readonly IReadOnlyList<string> Supported = ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"];
}
