using Tessera.Server.Storage.Keys;

namespace Tessera.Server.Keys;

/// <summary>
/// Which key signs now: the newest one of the algorithm already active and not retired. Every node must agree, so a
/// tie (two keys activating in the same second) goes to the greater kid by ordinal order. A retired key never signs
/// again, even when it activated in the same second as its successor (a rotate-now). The key manager (which key to
/// keep current in the database) and the key ring (which key signs a token) both ask here.
/// </summary>
public static class CurrentSigningKey
{
    public static T? Among<T>(IEnumerable<T> keys, string algorithm, long now) where T : class, IScheduledKey
    {
        T? best = null;
        foreach (var key in keys)
        {
            if (key.Algorithm != algorithm || key.ActivatesAt > now || key.UnpublishAt is not null) continue;
            if (best is null || key.ActivatesAt > best.ActivatesAt ||
                (key.ActivatesAt == best.ActivatesAt && string.CompareOrdinal(key.KeyId, best.KeyId) > 0))
                best = key;
        }
        return best;
    }
}
