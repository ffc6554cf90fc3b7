using System.Collections.Concurrent;

namespace Tessera.AspNetCore.Dpop;

/// <summary>
/// RFC 9449 §11.1 at an API: a proof's jti is accepted once per key while the proof could be fresh. In this process's
/// memory (TryAdd is the check, atomic across concurrent requests). When the record fills, expired records are swept,
/// and if it is still full of live ones those closest to expiry are forgotten: refusing instead would let anyone with a
/// key of their own deny every client by sending valid proofs until the record is full.
/// </summary>
internal sealed class DpopReplayCache(int capacity, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Lock _sweep = new();

    /// <summary>
    /// A full record is brought down to this, so a flood pays for one eviction per tenth of the capacity, not per proof.
    /// </summary>
    private readonly int _lowWater = capacity - Math.Max(1, capacity / 10);

    /// <summary>
    /// True the first time; false for a replay of a proof still held. Held means: not expired, and not among the oldest
    /// a full record gave up. Those have the least of their window left; a proof is bound to one request's method, URL
    /// and token besides, so a forgotten one replays only that request, and only until it expires.
    /// </summary>
    public bool FirstUse(string keyThumbprint, string jti, long expiresAt)
    {
        var key = keyThumbprint + " " + jti;
        // A replay of a held proof is refused before any room is made: making room could forget that very proof.
        if (_seen.ContainsKey(key)) return false;
        if (_seen.Count >= capacity) MakeRoom();
        return _seen.TryAdd(key, expiresAt);
    }

    /// <summary>Records held now (for tests: the bound is capacity, plus the requests adding at the same instant).</summary>
    internal int Count => _seen.Count;

    private void MakeRoom()
    {
        lock (_sweep)
        {
            // Another request made room while this one waited.
            if (_seen.Count < capacity) return;
            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            foreach (var (key, expiresAt) in _seen)
            {
                if (expiresAt <= now) _seen.TryRemove(key, out _);
            }
            if (_seen.Count < capacity) return;

            // Still full of live proofs: forget those closest to expiry, down to the low-water mark.
            var live = _seen.ToArray();
            Array.Sort(live, (a, b) => a.Value.CompareTo(b.Value));
            foreach (var (key, _) in live.AsSpan(0, Math.Max(0, live.Length - _lowWater))) _seen.TryRemove(key, out _);
        }
    }
}
