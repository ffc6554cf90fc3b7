using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Sessions;

namespace Tessera.Server.Sessions;

/// <summary>The <c>UserSessions</c> table. Ending a session also drops it from this node's cache at once.</summary>
internal sealed class SessionStore(ITesseraDbContextFactory databases, SessionCache cache, TimeProvider clock)
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
        var ended = await db.UserSessions.Where(s => s.Id == id && s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.EndedAt, now), cancellationToken);
        cache.Remove(id);
        return ended > 0;
    }

    /// <summary>Ends every session of the user; other nodes drop theirs at their next revocation poll.</summary>
    public async Task EndAllAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        var ids = await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null).Select(s => s.Id).ToListAsync(cancellationToken);
        await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.EndedAt, now), cancellationToken);
        foreach (var id in ids) cache.Remove(id);
    }
}
