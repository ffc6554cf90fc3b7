using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;

namespace Tessera.Server.Tokens.Dpop;

/// <summary>
/// RFC 9449 §8 and §9: server nonces. A nonce is an expiry sealed with Data Protection (whose keys every node shares), so
/// any node accepts a nonce another gave and none stores them. One nonce is handed out for a tenth of the lifetime, so
/// sealing is not on every request.
/// </summary>
internal sealed class DpopNonces(IDataProtectionProvider dataProtection, IOptions<TesseraOptions> options, TimeProvider clock)
{
    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("Tessera.Dpop.Nonce").ToTimeLimitedDataProtector();

    /// <summary>
    /// Read and replaced by every request thread: one reference, so a reader sees a whole nonce and its renewal time,
    /// never the nonce of one and the time of another (a nullable tuple is copied field by field, and can tear).
    /// </summary>
    private HandedOutNonce? _current;

    public bool Required => options.Value.Dpop.NonceRequired;

    /// <summary>The nonce to send in DPoP-Nonce now.</summary>
    public string Current()
    {
        var now = clock.GetUtcNow();
        if (Volatile.Read(ref _current) is { } current && now < current.RenewAt) return current.Nonce;
        var lifetime = options.Value.Dpop.NonceLifetime;
        var nonce = _protector.Protect("dpop", now + lifetime);
        // Two threads renewing at once both hand out a valid nonce; whichever is written last is the one kept.
        Volatile.Write(ref _current, new HandedOutNonce(nonce, now + lifetime / 10));
        return nonce;
    }

    /// <summary>Whether the proof's nonce is one this server (any node) gave and it has not expired.</summary>
    public bool IsValid(string? nonce)
    {
        // §4.2: a nonce is an opaque string; ours are a few hundred characters at most.
        if (string.IsNullOrEmpty(nonce) || nonce.Length > 1024) return false;
        try
        {
            return _protector.Unprotect(nonce, out _) == "dpop";
        }
        catch (CryptographicException)
        {
            // Expired, sealed with a key this ring does not have, or not ours at all.
            return false;
        }
    }

    /// <summary>The nonce handed out now, and when to seal the next one.</summary>
    private sealed record HandedOutNonce(string Nonce, DateTimeOffset RenewAt);
}
