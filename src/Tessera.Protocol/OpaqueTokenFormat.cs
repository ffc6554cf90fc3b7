namespace Tessera.Protocol;

/// <summary>
/// Tessera's opaque handles: a recognizable prefix, so secret scanners, logs and resource servers tell a Tessera handle
/// at a glance, and the base64url text of 256 random bits.
/// </summary>
public static class OpaqueTokenFormat
{
    public const string AccessTokenPrefix = "tsr_at_";
    public const string RefreshTokenPrefix = "tsr_rt_";

    /// <summary>Base64url of 32 random bytes, without padding.</summary>
    public const int RandomLength = 43;
}
