using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;

namespace Tessera.Server.PersonalAccessTokens;

/// <summary>
/// Token rows this node has looked up, so an API introspecting the same PAT on every request costs no database read.
/// Like <see cref="Tokens.OpaqueTokenCache"/>: revocation removes the entry here at once and on other nodes at their
/// next revocation poll; an entry never outlives its token.
/// </summary>
internal sealed class PersonalAccessTokenCache : IDisposable
{
    private readonly MemoryCache? _cache;

    public PersonalAccessTokenCache(IOptions<TesseraOptions> options)
    {
        // PATs are few next to access tokens: a tenth of the opaque-token cache is plenty.
        var size = options.Value.Cache.OpaqueTokenCacheSize / 10;
        if (size > 0) _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = size, CompactionPercentage = 0.25 });
    }

    public PersonalAccessToken? Find(byte[] hash) => _cache?.Get<PersonalAccessToken>(Key(hash));

    /// <summary>Only active rows are cached; the row must not be changed afterwards.</summary>
    public void Add(PersonalAccessToken token)
    {
        if (_cache is null || token.RevokedAt is not null) return;
        using var entry = _cache.CreateEntry(Key(token.Hash));
        entry.Value = token;
        entry.Size = 1;
        entry.AbsoluteExpiration = DateTimeOffset.FromUnixTimeSeconds(token.ExpiresAt);
    }

    public void Remove(byte[] hash) => _cache?.Remove(Key(hash));

    public void Dispose() => _cache?.Dispose();

    private static (ulong, ulong, ulong, ulong) Key(ReadOnlySpan<byte> hash) => (
        BinaryPrimitives.ReadUInt64LittleEndian(hash),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
}
