using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Hybrid;
using Tessera.Server.Storage.Tokens;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// The nodes' shared second-level cache of opaque tokens (HybridCache on Redis, <c>Tessera:Cache:Redis</c>): a node that
/// misses its own cache looks here before the database, and puts what it read from the database here, so N nodes read a
/// token from the database about once in total. Without Redis every call is a no-op (no HybridCache is registered).
/// </summary>
/// <remarks>
/// The key is the token's SHA-256, never the token. Entries are sealed with the cluster's Data Protection key ring
/// (authenticated encryption) and name the hash they are about, so whoever can write to Redis cannot make up an active
/// token, nor move one token's entry to another's key: such an entry is a miss and the database answers. Nothing here is
/// trusted for revocation on its own: a revocation overwrites the entry with "revoked" before it answers, and the store
/// still refuses any hash this node knows revoked.
/// </remarks>
internal sealed class SharedOpaqueTokenCache(IServiceProvider services, IDataProtectionProvider dataProtection, TimeProvider clock)
{
    /// <summary>A revocation's mark outlives every token it can concern: an API's lifetime is at most a day.</summary>
    private static readonly TimeSpan RevokedMarkLifetime = TimeSpan.FromDays(1);

    // Read only: HybridCache's own first level is skipped (OpaqueTokenCache is this node's, sized and shaped for tokens),
    // and a miss returns null instead of calling a factory (the store reads the database under its own single flight).
    private static readonly HybridCacheEntryOptions ReadOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableUnderlyingData,
    };

    private readonly HybridCache? _cache = services.GetService<HybridCache>();
    private readonly IDataProtector _seal = dataProtection.CreateProtector("Tessera.SharedCache.OpaqueToken.v1");

    public bool Enabled => _cache is not null;

    /// <summary>The entry for the hash, or null: none, or one that is not sealed by this cluster for this hash.</summary>
    public async ValueTask<SharedOpaqueEntry?> FindAsync(byte[] hash, CancellationToken cancellationToken)
    {
        if (_cache is null) return null;
        var sealedEntry = await _cache.GetOrCreateAsync<byte[]?>(Key(hash), _ => ValueTask.FromResult<byte[]?>(null), ReadOnly, cancellationToken: cancellationToken);
        return sealedEntry is null ? null : Open(sealedEntry, hash);
    }

    /// <summary>Shares what this node read from the database: the token until it expires, or that it is revoked.</summary>
    public async Task ShareAsync(OpaqueToken row, CachedOpaqueToken? active, CancellationToken cancellationToken)
    {
        if (_cache is null) return;
        var entry = new SharedOpaqueEntry { Hash = row.Hash, Token = active, Revoked = active is null };
        var lifetime = active is null ? RevokedMarkLifetime : TimeSpan.FromSeconds(row.ExpiresAt - clock.GetUtcNow().ToUnixTimeSeconds());
        if (lifetime <= TimeSpan.Zero) return;
        await _cache.SetAsync(Key(row.Hash), _seal.Protect(entry.ToUtf8Json()), Written(lifetime), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Overwrites the entry with "revoked" rather than removing it: a node that read the row just before the revocation and
    /// shares it just after cannot then leave an active entry behind unless its write lands after this one.
    /// </summary>
    public async Task MarkRevokedAsync(byte[] hash, CancellationToken cancellationToken)
    {
        if (_cache is null) return;
        var entry = new SharedOpaqueEntry { Hash = hash, Revoked = true };
        await _cache.SetAsync(Key(hash), _seal.Protect(entry.ToUtf8Json()), Written(RevokedMarkLifetime), cancellationToken: cancellationToken);
    }

    private SharedOpaqueEntry? Open(byte[] sealedEntry, byte[] hash)
    {
        try
        {
            var entry = SharedOpaqueEntry.FromUtf8Json(_seal.Unprotect(sealedEntry));
            return entry is not null && CryptographicOperations.FixedTimeEquals(entry.Hash, hash) ? entry : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            // Not sealed by this cluster's key ring (or another version's shape): as if absent.
            return null;
        }
    }

    private static HybridCacheEntryOptions Written(TimeSpan lifetime) => new()
    {
        Expiration = lifetime,
        Flags = HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableCompression,
    };

    private static string Key(byte[] hash) => "opaque:" + Convert.ToHexString(hash);
}
