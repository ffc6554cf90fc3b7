using System.Collections.Concurrent;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// Keys of revoked tokens this node knows of, each kept until its token's exp: after that the token is refused for its
/// exp anyway, so memory is bounded by the tokens revoked within one token lifetime. Lock-free reads.
/// </summary>
internal abstract class ExpiringDenyList
{
    private readonly ConcurrentDictionary<string, long> _expiresAt = new(StringComparer.Ordinal);

    public int Count => _expiresAt.Count;

    protected bool ContainsKey(string key) => _expiresAt.ContainsKey(key);

    protected void AddKey(string key, long expiresAt, long now)
    {
        // An expired token is refused for its exp already; keeping its key would only cost memory.
        if (expiresAt > now) _expiresAt[key] = expiresAt;
    }

    /// <summary>Forgets the keys of tokens that have expired (each revocation poll).</summary>
    public void Prune(long now)
    {
        foreach (var (key, expiresAt) in _expiresAt)
        {
            if (expiresAt <= now) _expiresAt.TryRemove(new KeyValuePair<string, long>(key, expiresAt));
        }
    }
}
