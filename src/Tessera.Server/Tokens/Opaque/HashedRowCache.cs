using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Memory;
using Tessera.Server.Storage.Tokens;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// Token rows this node has looked up, so an API introspecting the same token on every request costs no database read.
/// Filled on reads only: issuing many tokens does not push the hot ones out. Revocation removes the entry on the
/// revoking node at once and on the others at the next revocation poll (<c>Tessera:Cache:RevocationPollInterval</c>);
/// an entry never outlives its token. A size of 0 turns the cache off.
/// </summary>
internal abstract class HashedRowCache<TRow>(int size) : IDisposable where TRow : class, IHashedTokenRow
{
    private readonly MemoryCache? _cache = size > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = size, CompactionPercentage = 0.25 }) : null;

    public TRow? Find(byte[] hash) => _cache?.Get<TRow>(Key(hash));

    /// <summary>Only active rows are cached; the row must not be changed afterwards.</summary>
    public void Add(TRow row)
    {
        if (_cache is null || row.RevokedAt is not null) return;
        using var entry = _cache.CreateEntry(Key(row.Hash));
        entry.Value = row;
        entry.Size = 1;
        entry.AbsoluteExpiration = DateTimeOffset.FromUnixTimeSeconds(row.ExpiresAt);
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
