using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Hosting;
using Tessera.Server.Storage;

namespace Tessera.Server.Housekeeping;

/// <summary>
/// Deletes rows nobody needs any more — expired opaque tokens (revoked ones stay until they expire, so every node's
/// revocation poll sees them), expired refresh tokens, device authorizations and personal access tokens, expired deny-list
/// entries, used client assertions and ended guess-counter windows, expired sessions and sessions ended a day ago, authorization
/// codes a day after they expired — in bounded batches along the
/// expiry indexes. Deletes are idempotent, so several nodes may run it at once.
/// </summary>
internal sealed partial class HousekeepingService(
    ITesseraDbContextFactory databases,
    IOptions<TesseraOptions> options,
    TimeProvider clock,
    ILogger<HousekeepingService> logger) : PeriodicService(options.Value.Housekeeping.Interval, logger)
{
    // Bounds one pass, so a huge backlog is worked off over several intervals instead of one long lock.
    private const int MaxBatchesPerPass = 100;

    /// <summary>
    /// A redeemed code is kept after it expires so that a replay can still revoke what it issued (RFC 6749 §4.1.2);
    /// after a day every access token issued from it has expired (an API's lifetime is at most a day).
    /// </summary>
    public static readonly TimeSpan AuthorizationCodeRetention = TimeSpan.FromDays(1);

    /// <summary>How long an ended session's row stays (the revocation poll must see it on every node first).</summary>
    public static readonly TimeSpan EndedSessionRetention = TimeSpan.FromDays(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var deleted = await DeleteExpiredAsync(cancellationToken);
        if (deleted > 0) Log.ExpiredRowsDeleted(logger, deleted);
    }

    /// <summary>One pass; returns how many rows it deleted.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var batch = options.Value.Housekeeping.BatchSize;
        await using var db = databases.Create();
        var total = 0;
        total += await DeleteInBatchesAsync(() => db.OpaqueTokens.Where(t => t.ExpiresAt <= now)
            .OrderBy(t => t.ExpiresAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        total += await DeleteInBatchesAsync(() => db.RevokedJwts.Where(r => r.ExpiresAt <= now)
            .OrderBy(r => r.ExpiresAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        total += await DeleteInBatchesAsync(() => db.RefreshTokens.Where(t => t.ExpiresAt <= now)
            .OrderBy(t => t.ExpiresAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        total += await DeleteInBatchesAsync(() => db.DeviceAuthorizations.Where(d => d.ExpiresAt <= now)
            .OrderBy(d => d.ExpiresAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        total += await DeleteInBatchesAsync(() => db.PersonalAccessTokens.Where(t => t.ExpiresAt <= now)
            .OrderBy(t => t.ExpiresAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        // An ended session is kept a day, long enough for every node's poll to have seen it and for the user to see it ended.
        var sessionsBefore = now - (long)EndedSessionRetention.TotalSeconds;
        total += await DeleteInBatchesAsync(() => db.UserSessions.Where(s => s.ExpiresAt <= now || s.EndedAt <= sessionsBefore)
            .OrderBy(s => s.ExpiresAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        var codesBefore = now - (long)AuthorizationCodeRetention.TotalSeconds;
        total += await DeleteInBatchesAsync(() => db.AuthorizationCodes.Where(c => c.ExpiresAt <= codesBefore)
            .OrderBy(c => c.ExpiresAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        total += await DeleteInBatchesAsync(() => db.ClientAssertionUses.Where(u => u.ExpiresAt <= now)
            .OrderBy(u => u.ExpiresAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        total += await DeleteInBatchesAsync(() => db.GuessCounters.Where(g => g.ExpiresAt <= now)
            .OrderBy(g => g.ExpiresAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        // A session lives at most a day (the cookie's eight hours): its clients are not needed after that.
        var sessionClientsBefore = now - (long)TimeSpan.FromDays(2).TotalSeconds;
        total += await DeleteInBatchesAsync(() => db.SessionClients.Where(c => c.CreatedAt <= sessionClientsBefore)
            .OrderBy(c => c.CreatedAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        total += await DeleteInBatchesAsync(() => db.PasskeyCeremonies.Where(c => c.ExpiresAt <= now)
            .OrderBy(c => c.ExpiresAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        // Tessera:Audit:Retention (90 days by default): the trail is kept that long, then goes like every other expired row.
        var auditBefore = clock.GetUtcNow().Add(-options.Value.Audit.Retention).ToUnixTimeMilliseconds();
        total += await DeleteInBatchesAsync(() => db.AuditEvents.Where(e => e.OccurredAt < auditBefore)
            .OrderBy(e => e.OccurredAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        return total;
    }

    private static async Task<int> DeleteInBatchesAsync(Func<Task<int>> deleteBatch, int batch)
    {
        var total = 0;
        for (var i = 0; i < MaxBatchesPerPass; i++)
        {
            var deleted = await deleteBatch();
            total += deleted;
            if (deleted < batch) break;
        }
        return total;
    }
}
