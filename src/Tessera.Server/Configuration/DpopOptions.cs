namespace Tessera.Server.Configuration;

/// <summary>The <c>Tessera:Dpop</c> section (RFC 9449).</summary>
public sealed class DpopOptions
{
    /// <summary>
    /// §11.1: how old a proof's iat may be (plus Tessera:Limits:ClockSkew). Each proof's jti is remembered this long on every
    /// node, so a longer window costs rows; a shorter one refuses clients with slow clocks.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:05", "00:10:00", ErrorMessage = "Tessera:Dpop:ProofLifetime must be between 5 seconds and 10 minutes.")]
    public TimeSpan ProofLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// §8: every proof at the token endpoint and UserInfo must carry a nonce this server gave (the DPoP-Nonce header),
    /// so a proof made in advance on a compromised device is useless. Off by default: it costs clients one round trip.
    /// </summary>
    public bool NonceRequired { get; set; }

    /// <summary>How long a nonce the server gave stays valid (any node accepts it: it is sealed with the shared Data Protection keys).</summary>
    [SettingRange(typeof(TimeSpan), "00:00:10", "01:00:00", ErrorMessage = "Tessera:Dpop:NonceLifetime must be between 10 seconds and 1 hour.")]
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
