using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Tokens.Opaque;

namespace Tessera.Server.Tokens.AccessTokens;

/// <summary>
/// This node's copy of the JWT deny-list (the RevokedJwts table), so a JWT's introspection, UserInfo and Tessera's own
/// APIs read no database at all. Loaded at start-up; the revoking node adds a jti at once, the others at their next
/// revocation poll (<c>Tessera:Cache:RevocationPollInterval</c>).
/// </summary>
internal sealed class RevokedJwtList : ExpiringDenyList
{
    public bool Contains(string jti) => ContainsKey(jti);

    public void Add(string jti, long expiresAt, long now) => AddKey(jti, expiresAt, now);

    /// <summary>Every jti of the deny-list whose token has not expired: at start-up, before the first request.</summary>
    public async Task LoadAsync(TesseraDbContext db, long now, CancellationToken cancellationToken)
    {
        var rows = await db.RevokedJwts.AsNoTracking().Where(r => r.ExpiresAt > now).Select(r => new { r.Jti, r.ExpiresAt }).ToListAsync(cancellationToken);
        foreach (var row in rows) Add(row.Jti, row.ExpiresAt, now);
    }
}
