using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;

namespace Tessera.Server.Tokens.Revocation;

/// <summary>
/// This node's copy of the JWT deny-list (the RevokedJwts table), so a JWT's introspection, UserInfo and Tessera's own
/// APIs read no database at all. Loaded at start-up; the revoking node adds a jti at once, the others at their next
/// revocation poll (<c>Tessera:Cache:RevocationPollInterval</c>). A jti is kept until its token's exp, then pruned:
/// memory is bounded by the tokens revoked within one access-token lifetime.
/// </summary>
internal sealed class RevokedJwtList
{
    // Lock-free reads: introspection only calls TryGetValue.
    private readonly ConcurrentDictionary<string, long> _expiresAt = new(StringComparer.Ordinal);

    public bool Contains(string jti) => _expiresAt.ContainsKey(jti);

    public int Count => _expiresAt.Count;

    public void Add(string jti, long expiresAt, long now)
    {
        // An expired JWT is refused for its exp already; keeping its jti would only cost memory.
        if (expiresAt > now) _expiresAt[jti] = expiresAt;
    }

    /// <summary>Forgets the jtis of tokens that have expired (each poll: they are refused for their exp from now on).</summary>
    public void Prune(long now)
    {
        foreach (var (jti, expiresAt) in _expiresAt)
        {
            if (expiresAt <= now) _expiresAt.TryRemove(new KeyValuePair<string, long>(jti, expiresAt));
        }
    }

    /// <summary>Every jti of the deny-list whose token has not expired: at start-up, before the first request.</summary>
    public async Task LoadAsync(TesseraDbContext db, long now, CancellationToken cancellationToken)
    {
        var rows = await db.RevokedJwts.AsNoTracking().Where(r => r.ExpiresAt > now).Select(r => new { r.Jti, r.ExpiresAt }).ToListAsync(cancellationToken);
        foreach (var row in rows) Add(row.Jti, row.ExpiresAt, now);
    }
}
