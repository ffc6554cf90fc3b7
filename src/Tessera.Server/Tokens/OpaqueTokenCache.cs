using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;

namespace Tessera.Server.Tokens;

/// <summary>
/// Opaque-token rows this node has looked up, so introspecting the same token again (an API asks on every request)
/// does not go to the database. Filled on reads only: issuing many tokens does not push the hot ones out.
/// Revocation removes the entry on the revoking node at once and on the others at the next revocation poll
/// (<c>Tessera:Cache:RevocationPollInterval</c>); a cached entry never outlives its token.
/// </summary>
internal sealed class OpaqueTokenCache : IDisposable
{
    private readonly MemoryCache? _cache;

    public OpaqueTokenCache(IOptions<TesseraOptions> options)
    {
        var size = options.Value.Cache.OpaqueTokenCacheSize;
        if (size > 0) _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = size, CompactionPercentage = 0.25 });
    }

    public OpaqueToken? Find(byte[] hash) => _cache?.Get<OpaqueToken>(Key(hash));

    /// <summary>Only active rows are cached; the row must not be changed afterwards.</summary>
    public void Add(OpaqueToken token)
    {
        if (_cache is null || token.RevokedAt is not null) return;
        using var entry = _cache.CreateEntry(Key(token.Hash));
        entry.Value = token;
        entry.Size = 1;
        entry.AbsoluteExpiration = DateTimeOffset.FromUnixTimeSeconds(token.ExpiresAt);
    }

    public void Remove(byte[] hash) => _cache?.Remove(Key(hash));

    public void Dispose() => _cache?.Dispose();

    /// <summary>The SHA-256 as four integers: a cheap, allocation-free key.</summary>
    private static (ulong, ulong, ulong, ulong) Key(ReadOnlySpan<byte> hash) => (
        BinaryPrimitives.ReadUInt64LittleEndian(hash),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
}
