using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Sessions;
using Tessera.Server.Storage.Tokens;

namespace Tessera.Server.Sessions;

/// <summary>
/// The <c>UserSessions</c> table. Ending a session also drops it from this node's cache at once, and — in the same
/// transaction — queues a back-channel logout for every client that received tokens in it and asked to hear
/// (OIDC Back-Channel Logout 1.0 §2.5; <see cref="SessionClient"/>, delivered by BackChannelLogout/LogoutDeliveryService).
/// </summary>
internal sealed class SessionStore(ITesseraDbContextFactory databases, SessionCache cache, LogoutsQueued logoutsQueued, TimeProvider clock)
{
    public async Task CreateAsync(UserSession session, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>An active session from the cache, else from the database (then cached); null when ended, expired or unknown.</summary>
    public async ValueTask<UserSession?> FindActiveAsync(string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (cache.Find(id) is { } cached) return cached.IsActive(now) ? cached : null;
        await using var db = databases.Create();
        var row = await db.UserSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (row is null || !row.IsActive(now)) return null;
        cache.Add(row);
        return row;
    }

    public async Task<List<UserSession>> ListActiveAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        return await db.UserSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.EndedAt == null && s.ExpiresAt > now)
            .OrderByDescending(s => s.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Ends one session of this user; a session id of another user changes nothing (returns false).</summary>
    public async Task<bool> EndAsync(string userId, string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ended = await db.UserSessions.Where(s => s.Id == id && s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.EndedAt, now), cancellationToken);
        var queued = ended > 0 && await QueueLogoutsAsync(db, [id], now, cancellationToken);
        if (ended > 0) await RevocationLog.AppendAsync(db, [(RevocationKind.Session, id, 0L)], now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.Remove(id);
        if (queued) logoutsQueued.Raise();
        return ended > 0;
    }

    /// <summary>Ends every session of the user; other nodes drop theirs at their next revocation poll (the log's lines).</summary>
    public async Task EndAllAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null).Select(s => s.Id).ToListAsync(cancellationToken);
        await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null && ids.Contains(s.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.EndedAt, now), cancellationToken);
        var queued = await QueueLogoutsAsync(db, ids, now, cancellationToken);
        if (ids.Count > 0) await RevocationLog.AppendAsync(db, ids.ConvertAll(id => (RevocationKind.Session, id, 0L)), now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var id in ids) cache.Remove(id);
        if (queued) logoutsQueued.Raise();
    }

    /// <summary>
    /// What ends with these (just ended) sessions: their refresh tokens issued without offline_access (Back-Channel Logout
    /// §2.7), and a notification for each client that received tokens in one of them; whether any was queued.
    /// </summary>
    private static async Task<bool> QueueLogoutsAsync(TesseraDbContext db, List<string> sessionIds, long now, CancellationToken cancellationToken)
    {
        if (sessionIds.Count == 0) return false;
        await db.RefreshTokens.Where(t => t.SessionBound && t.RevokedAt == null && t.SessionId != null && sessionIds.Contains(t.SessionId))
            .ExecuteUpdateAsync(t => t.SetProperty(r => r.RevokedAt, now), cancellationToken);
        var clients = await db.SessionClients.AsNoTracking().Where(c => sessionIds.Contains(c.SessionId)).ToListAsync(cancellationToken);
        if (clients.Count == 0) return false;
        db.LogoutNotifications.AddRange(clients.Select(c => new LogoutNotification
        {
            ClientId = c.ClientId, UserId = c.UserId, SessionId = c.SessionId, CreatedAt = now, NextAttemptAt = now,
        }));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>OIDC Back-Channel Logout 1.0: <paramref name="clientId"/> received tokens in this session and wants to hear when it ends.</summary>
    public async Task RecordClientAsync(string sessionId, string clientId, string userId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        // One statement for both providers: the pair is recorded once, however many codes the client redeems.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "SessionClients" ("SessionId", "ClientId", "UserId", "CreatedAt")
            VALUES ({sessionId}, {clientId}, {userId}, {clock.GetUtcNow().ToUnixTimeSeconds()})
            ON CONFLICT ("SessionId", "ClientId") DO NOTHING
            """, cancellationToken);
    }
}
