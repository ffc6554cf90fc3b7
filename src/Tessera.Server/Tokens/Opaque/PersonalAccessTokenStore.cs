using Microsoft.EntityFrameworkCore;
using Tessera.Protocol;
using Tessera.Server.Audit;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>Creates, lists, finds and revokes personal access tokens. Only the SHA-256 of a token is stored.</summary>
internal sealed class PersonalAccessTokenStore(ITesseraDbContextFactory databases, PersonalAccessTokenCache cache, RevokedTokenHashes revoked, TimeProvider clock, AuditTrail audit)
{
    /// <summary>The new row and the token, which exists nowhere else and is shown to the user once.</summary>
    public async Task<(PersonalAccessToken Row, string Token)> CreateAsync(
        string userId, string name, string scope, long expiresAt, string? clientId, string? jkt, CancellationToken cancellationToken)
    {
        var token = PersonalAccessTokenFormat.New();
        var row = new PersonalAccessToken
        {
            Id = SecretGenerator.NewSecret(12),
            Hash = OpaqueHandles.Hash(token),
            UserId = userId,
            Name = name,
            Scope = scope,
            ClientId = clientId,
            CreatedAt = clock.GetUtcNow().ToUnixTimeSeconds(),
            ExpiresAt = expiresAt,
            Jkt = jkt,
        };
        await using var db = databases.Create();
        db.PersonalAccessTokens.Add(row);
        audit.Add(db, new AuditEntry(AuditEventTypes.PatCreated)
        {
            UserId = userId, ClientId = clientId,
            Details = new Dictionary<string, string?> { ["id"] = row.Id, ["name"] = name, ["scope"] = scope },
        }, null);
        await db.SaveChangesAsync(cancellationToken);
        return (row, token);
    }

    /// <summary>The user's tokens that are not revoked (expired ones too, until housekeeping deletes them), newest first.</summary>
    public async Task<List<PersonalAccessToken>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        var rows = await db.PersonalAccessTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.RevokedAt == null)
            .ToListAsync(cancellationToken);
        return rows.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<int> CountAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        return await db.PersonalAccessTokens.CountAsync(t => t.UserId == userId && t.RevokedAt == null, cancellationToken);
    }

    /// <summary>
    /// The row for a token's hash: from this node's cache, else from the database (and then cached); null for a hash this
    /// node knows revoked, without reading it again.
    /// </summary>
    public async ValueTask<PersonalAccessToken?> FindAsync(byte[] hash, CancellationToken cancellationToken)
    {
        if (cache.Find(hash) is { } cached) return cached;
        if (revoked.Contains(hash)) return null;
        var row = await ReadAsync(hash, cancellationToken);
        if (row is null) return null;
        if (row.RevokedAt is not null) revoked.Add(hash, row.ExpiresAt, clock.GetUtcNow().ToUnixTimeSeconds());
        else cache.Add(row);
        return row;
    }

    /// <summary>From the read replica when there is one, else (or when it does not have the row yet) from the primary.</summary>
    private async Task<PersonalAccessToken?> ReadAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using (var replica = databases.CreateForLaggingReads())
        {
            var row = await replica.PersonalAccessTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash, cancellationToken);
            if (row is not null || !databases.HasReadReplica) return row;
        }
        await using var primary = databases.Create();
        return await primary.PersonalAccessTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash, cancellationToken);
    }

    /// <summary>The tokens not revoked and not expired, of the given users or of everyone (null).</summary>
    public async Task<List<PersonalAccessToken>> ListActiveAsync(IReadOnlyCollection<string>? userIds, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        var active = db.PersonalAccessTokens.AsNoTracking().Where(t => t.RevokedAt == null && t.ExpiresAt > now);
        if (userIds is not null) active = active.Where(t => userIds.Contains(t.UserId));
        return await active.ToListAsync(cancellationToken);
    }

    /// <summary>Revokes one of the user's tokens; false when the user has no such active token.</summary>
    public async Task<bool> RevokeAsync(string userId, string id, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        var hash = await db.PersonalAccessTokens.Where(t => t.Id == id && t.UserId == userId && t.RevokedAt == null)
            .Select(t => t.Hash).FirstOrDefaultAsync(cancellationToken);
        if (hash is null) return false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RevokeAsync(db, hash, cancellationToken);
        audit.Add(db, new AuditEntry(AuditEventTypes.PatRevoked) { UserId = userId, Details = new Dictionary<string, string?> { ["id"] = id } }, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.Remove(hash);
        return true;
    }

    /// <summary>Revokes by hash (the revocation endpoint); other nodes forget it at their next revocation poll.</summary>
    public async Task RevokeAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RevokeAsync(db, hash, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.Remove(hash);
    }

    /// <summary>
    /// Every token of the user that is still active, in three statements however many (a credential change, a disable,
    /// a delete): their hashes, one UPDATE, and the revocation log's lines for the other nodes.
    /// </summary>
    public async Task RevokeAllAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var hashes = await db.PersonalAccessTokens.Where(t => t.UserId == userId && t.RevokedAt == null).Select(t => t.Hash).ToListAsync(cancellationToken);
        if (hashes.Count == 0) return;
        await db.PersonalAccessTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        await RevocationLog.AppendAsync(db, hashes.ConvertAll(h => (RevocationKind.PersonalAccessToken, RevocationLog.Key(h), 0L)), now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var hash in hashes) cache.Remove(hash);
    }

    private async Task RevokeAsync(TesseraDbContext db, byte[] hash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var revoked = await db.PersonalAccessTokens.Where(t => t.Hash == hash && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        // For the other nodes' caches, in the caller's transaction.
        if (revoked > 0) await RevocationLog.AppendAsync(db, [(RevocationKind.PersonalAccessToken, RevocationLog.Key(hash), 0L)], now, cancellationToken);
        // The caller forgets the cached row once the transaction has committed: a read before the commit would cache it again.
    }
}
