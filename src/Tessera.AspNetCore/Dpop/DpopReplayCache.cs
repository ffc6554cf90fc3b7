using System.Collections.Concurrent;

namespace Tessera.AspNetCore.Dpop;

/// <summary>
/// RFC 9449 §11.1 at an API: a proof's jti is accepted once per key while the proof could be fresh. In this process's
/// memory (TryAdd is the check, atomic across concurrent requests); expired records are swept when the record fills.
/// </summary>
internal sealed class DpopReplayCache(int capacity, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Lock _sweep = new();

    /// <summary>True the first time; false for a replay, or when the record is full of live proofs (refused, not forgotten).</summary>
    public bool FirstUse(string keyThumbprint, string jti, long expiresAt)
    {
        if (_seen.Count >= capacity) Sweep();
        if (_seen.Count >= capacity) return false;
        return _seen.TryAdd(keyThumbprint + " " + jti, expiresAt);
    }

    private void Sweep()
    {
        lock (_sweep)
        {
            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            foreach (var (key, expiresAt) in _seen)
            {
                if (expiresAt <= now) _seen.TryRemove(key, out _);
            }
        }
    }
}
