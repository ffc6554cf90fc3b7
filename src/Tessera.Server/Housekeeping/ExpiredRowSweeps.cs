using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;

namespace Tessera.Server.Housekeeping;

/// <summary>
/// One table's rule for what may go: a DELETE of at most <c>batch</c> rows, oldest first along the table's expiry
/// index, returning how many it deleted. Each call is one statement, so one short transaction.
/// </summary>
internal sealed record ExpiredRowSweep(string Table, Func<TesseraDbContext, int, CancellationToken, Task<int>> DeleteBatchAsync);

/// <summary>
/// Every table housekeeping prunes, and when a row may go — fixed at the start of a pass, so rows that expire during it
/// wait for the next one.
/// </summary>
internal static class ExpiredRowSweeps
{
    /// <summary>
    /// A redeemed code is kept after it expires so that a replay can still revoke what it issued (RFC 6749 §4.1.2);
    /// after a day every access token issued from it has expired (an API's lifetime is at most a day).
    /// </summary>
    public static readonly TimeSpan AuthorizationCodeRetention = TimeSpan.FromDays(1);

    /// <summary>How long an ended session's row stays (the revocation poll must see it on every node first).</summary>
    public static readonly TimeSpan EndedSessionRetention = TimeSpan.FromDays(1);

    /// <summary>
    /// A line of the revocation log is read by every running node within a poll interval (a second by default); a day
    /// covers any node that lost the database for a while. A node away for longer is restarted, and reloads its lists.
    /// </summary>
    public static readonly TimeSpan RevocationLogRetention = TimeSpan.FromDays(1);

    /// <summary>A session lives at most a day (the cookie's eight hours): its clients are not needed after that.</summary>
    private static readonly TimeSpan SessionClientRetention = TimeSpan.FromDays(2);

    public static IReadOnlyList<ExpiredRowSweep> At(DateTimeOffset passStart, TimeSpan auditRetention)
    {
        var now = passStart.ToUnixTimeSeconds();
        var sessionsBefore = now - (long)EndedSessionRetention.TotalSeconds;
        var codesBefore = now - (long)AuthorizationCodeRetention.TotalSeconds;
        var sessionClientsBefore = now - (long)SessionClientRetention.TotalSeconds;
        var revocationLinesBefore = now - (long)RevocationLogRetention.TotalSeconds;
        // Tessera:Audit:Retention (90 days by default): the trail is kept that long, then goes like every other expired row.
        var auditBefore = passStart.Add(-auditRetention).ToUnixTimeMilliseconds();
        return
        [
            // Revoked opaque tokens stay until they expire: every node's revocation poll reads them.
            new("OpaqueTokens", (db, batch, ct) => db.OpaqueTokens.Where(t => t.ExpiresAt <= now)
                .OrderBy(t => t.ExpiresAt).Take(batch).ExecuteDeleteAsync(ct)),
            new("RevokedJwts", (db, batch, ct) => db.RevokedJwts.Where(r => r.ExpiresAt <= now)
                .OrderBy(r => r.ExpiresAt).Take(batch).ExecuteDeleteAsync(ct)),
            new("RefreshTokens", (db, batch, ct) => db.RefreshTokens.Where(t => t.ExpiresAt <= now)
                .OrderBy(t => t.ExpiresAt).Take(batch).ExecuteDeleteAsync(ct)),
            new("DeviceAuthorizations", (db, batch, ct) => db.DeviceAuthorizations.Where(d => d.ExpiresAt <= now)
                .OrderBy(d => d.ExpiresAt).Take(batch).ExecuteDeleteAsync(ct)),
            new("PersonalAccessTokens", (db, batch, ct) => db.PersonalAccessTokens.Where(t => t.ExpiresAt <= now)
                .OrderBy(t => t.ExpiresAt).Take(batch).ExecuteDeleteAsync(ct)),
            // An ended session is kept a day, long enough for every node's poll to have seen it and for the user to see it ended.
            new("UserSessions", (db, batch, ct) => db.UserSessions.Where(s => s.ExpiresAt <= now || s.EndedAt <= sessionsBefore)
                .OrderBy(s => s.ExpiresAt).Take(batch).ExecuteDeleteAsync(ct)),
            new("AuthorizationCodes", (db, batch, ct) => db.AuthorizationCodes.Where(c => c.ExpiresAt <= codesBefore)
                .OrderBy(c => c.ExpiresAt).Take(batch).ExecuteDeleteAsync(ct)),
            new("ClientAssertionUses", (db, batch, ct) => db.ClientAssertionUses.Where(u => u.ExpiresAt <= now)
                .OrderBy(u => u.ExpiresAt).Take(batch).ExecuteDeleteAsync(ct)),
            new("PushedAuthorizationRequests", (db, batch, ct) => db.PushedAuthorizationRequests.Where(p => p.ExpiresAt <= now)
                .OrderBy(p => p.ExpiresAt).Take(batch).ExecuteDeleteAsync(ct)),
            new("DpopProofUses", (db, batch, ct) => db.DpopProofUses.Where(u => u.ExpiresAt <= now)
                .OrderBy(u => u.ExpiresAt).Take(batch).ExecuteDeleteAsync(ct)),
            new("GuessCounters", (db, batch, ct) => db.GuessCounters.Where(g => g.ExpiresAt <= now)
                .OrderBy(g => g.ExpiresAt).Take(batch).ExecuteDeleteAsync(ct)),
            new("SessionClients", (db, batch, ct) => db.SessionClients.Where(c => c.CreatedAt <= sessionClientsBefore)
                .OrderBy(c => c.CreatedAt).Take(batch).ExecuteDeleteAsync(ct)),
            new("PasskeyCeremonies", (db, batch, ct) => db.PasskeyCeremonies.Where(c => c.ExpiresAt <= now)
                .OrderBy(c => c.ExpiresAt).Take(batch).ExecuteDeleteAsync(ct)),
            // Oldest first along the primary key: lines are appended in id order, so no index on the time is needed.
            new("RevocationEvents", (db, batch, ct) => db.RevocationEvents.Where(e => e.CreatedAt <= revocationLinesBefore)
                .OrderBy(e => e.Id).Take(batch).ExecuteDeleteAsync(ct)),
            new("AuditEvents", (db, batch, ct) => db.AuditEvents.Where(e => e.OccurredAt < auditBefore)
                .OrderBy(e => e.OccurredAt).Take(batch).ExecuteDeleteAsync(ct)),
        ];
    }
}
