using System.Collections.Concurrent;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// The last opaque tokens this node issued, so their first introspection here reads nothing — a fixed ring rather than
/// the introspection cache: at thousands of tokens a second a MemoryCache entry per issued token filled the cache within
/// seconds and kept it compacting, 7 % of the SQLite opaque issuance row (bench/RESULTS.md, "Scale"). The oldest entry
/// leaves when a new one comes; callers check expiry (an entry may outlive its token by a little); a revocation removes
/// the entry (<see cref="Remove"/>).
/// </summary>
internal sealed class RecentlyIssuedTokens(int capacity)
{
    private readonly ConcurrentDictionary<(ulong, ulong, ulong, ulong), CachedOpaqueToken> _tokens = new();
    private readonly (ulong, ulong, ulong, ulong)[] _ring = new (ulong, ulong, ulong, ulong)[Math.Max(capacity, 1)];
    private readonly Lock _turn = new();
    private int _next;

    public bool Enabled => capacity > 0;

    public void Add(byte[] hash, CachedOpaqueToken token)
    {
        if (!Enabled) return;
        var key = HashedRowCache<CachedOpaqueToken>.Key(hash);
        _tokens[key] = token;
        (ulong, ulong, ulong, ulong) evicted;
        lock (_turn)
        {
            // The slot's previous token leaves: a slot is reused only after the whole ring has turned.
            evicted = _ring[_next];
            _ring[_next] = key;
            _next = (_next + 1) % _ring.Length;
        }
        if (evicted != default && evicted != key) _tokens.TryRemove(evicted, out _);
    }

    public CachedOpaqueToken? Find(byte[] hash) =>
        Enabled && _tokens.TryGetValue(HashedRowCache<CachedOpaqueToken>.Key(hash), out var token) ? token : null;

    public void Remove(byte[] hash)
    {
        if (Enabled) _tokens.TryRemove(HashedRowCache<CachedOpaqueToken>.Key(hash), out _);
    }
}
