using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Hosting;
using Tessera.Server.Sessions;
using Tessera.Server.Storage;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Users;

namespace Tessera.Server.Tokens.Revocation;

/// <summary>
/// Reads the opaque tokens, personal access tokens and sessions other nodes revoked or ended since the last poll and
/// drops them from this node's caches, and reloads the set of disabled users.
/// </summary>
internal sealed class RevocationPollService(
    ITesseraDbContextFactory databases,
    OpaqueTokenCache cache,
    PersonalAccessTokenCache personalAccessTokens,
    SessionCache sessions,
    DisabledUsers disabledUsers,
    IOptions<TesseraOptions> options,
    TimeProvider clock,
    ILogger<RevocationPollService> logger) : PeriodicService(options.Value.Cache.RevocationPollInterval, logger)
{
    // RevokedAt has one-second resolution and commits land out of order: look back a little further than the last poll.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);
    private long _since = clock.GetUtcNow().Add(-Overlap).ToUnixTimeSeconds();

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = databases.Create();
        var revoked = await db.OpaqueTokens.AsNoTracking()
            .Where(t => t.RevokedAt >= _since)
            .Select(t => t.Hash)
            .ToListAsync(cancellationToken);
        foreach (var hash in revoked) cache.Remove(hash);
        var revokedPats = await db.PersonalAccessTokens.AsNoTracking()
            .Where(t => t.RevokedAt >= _since)
            .Select(t => t.Hash)
            .ToListAsync(cancellationToken);
        foreach (var hash in revokedPats) personalAccessTokens.Remove(hash);
        var endedSessions = await db.UserSessions.AsNoTracking()
            .Where(s => s.EndedAt >= _since)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in endedSessions) sessions.Remove(id);
        await disabledUsers.LoadAsync(db, cancellationToken);
        _since = now.Add(-Overlap).ToUnixTimeSeconds();
    }
}
