using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Memory;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// Token rows this node has looked up, so an API introspecting the same token on every request costs no database read.
/// Filled on reads only: issuing many tokens does not push the hot ones out. Revocation removes the entry on the
/// revoking node at once and on the others at the next revocation poll (<c>Tessera:Cache:RevocationPollInterval</c>);
/// an entry never outlives its token. A size of 0 turns the cache off. The value kept is whatever the subclass keeps
/// of an active row (it must not be changed afterwards); the row's SHA-256 is the key, not kept twice.
/// </summary>
internal abstract class HashedRowCache<TValue>(int size) : IDisposable where TValue : class
{
    private readonly MemoryCache? _cache = size > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = size, CompactionPercentage = 0.25 }) : null;

    protected bool Enabled => _cache is not null;

    public TValue? Find(byte[] hash) => _cache?.Get<TValue>(Key(hash));

    protected void Add(byte[] hash, TValue value, long expiresAt)
    {
        if (_cache is null) return;
        using var entry = _cache.CreateEntry(Key(hash));
        entry.Value = value;
        entry.Size = 1;
        entry.AbsoluteExpiration = DateTimeOffset.FromUnixTimeSeconds(expiresAt);
    }

    public virtual void Remove(byte[] hash) => _cache?.Remove(Key(hash));

    public void Dispose() => _cache?.Dispose();

    /// <summary>The SHA-256 as four integers: a cheap, allocation-free key.</summary>
    public static (ulong, ulong, ulong, ulong) Key(ReadOnlySpan<byte> hash) => (
        BinaryPrimitives.ReadUInt64LittleEndian(hash),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
}
