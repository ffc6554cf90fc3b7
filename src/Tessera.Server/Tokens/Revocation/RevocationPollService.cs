using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Hosting;
using Tessera.Server.Sessions;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Users;

namespace Tessera.Server.Tokens.Revocation;

/// <summary>
/// Reads the lines other nodes (and this one) appended to the revocation log since the last poll, in one statement, and
/// applies them here: a revoked JWT joins <see cref="RevokedJwtList"/>, a revoked opaque token <see cref="RevokedTokenHashes"/>;
/// a revoked opaque token or PAT and an ended session leave their caches; a user disabled or enabled reloads <see cref="DisabledUsers"/>. An idle poll reads nothing new.
/// </summary>
internal sealed class RevocationPollService(
    ITesseraDbContextFactory databases,
    RevocationCursor cursor,
    RevokedJwtList revokedJwts,
    RevokedTokenHashes revokedHashes,
    OpaqueTokenCache cache,
    PersonalAccessTokenCache personalAccessTokens,
    SessionCache sessions,
    DisabledUsers disabledUsers,
    IOptions<TesseraOptions> options,
    TimeProvider clock,
    ILogger<RevocationPollService> logger) : PeriodicService(options.Value.Cache.RevocationPollInterval, logger)
{
    /// <summary>A burst of revocations is read over a few polls rather than in one unbounded answer.</summary>
    private const int MaxLinesPerPoll = 5000;

    /// <summary>Lines before the log's end read again by a node's first poll (see <see cref="StartAsync"/>).</summary>
    private const long StartOverlap = 100;

    // Compiled once per service: the poll runs every second on every node.
    private readonly Func<TesseraDbContext, long, IAsyncEnumerable<RevocationEvent>> _linesAfter =
        EF.CompileAsyncQuery((TesseraDbContext db, long after) =>
            db.RevocationEvents.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).Take(MaxLinesPerPoll));

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var unixNow = now.ToUnixTimeSeconds();
        // The replica, when there is one: its lag adds to the revocation window, and the cursor waits for ids it lacks.
        await using var db = databases.CreateForLaggingReads();
        var ids = new List<long>();
        var usersChanged = false;
        await foreach (var line in _linesAfter(db, cursor.After).WithCancellation(cancellationToken))
        {
            ids.Add(line.Id);
            switch (line.Kind)
            {
                case RevocationKind.Jwt: revokedJwts.Add(line.Key, line.ExpiresAt, unixNow); break;
                case RevocationKind.OpaqueToken:
                    revokedHashes.AddLogKey(line.Key, line.ExpiresAt, unixNow);
                    cache.Remove(Convert.FromBase64String(line.Key));
                    break;
                case RevocationKind.PersonalAccessToken: personalAccessTokens.Remove(Convert.FromBase64String(line.Key)); break;
                case RevocationKind.Session: sessions.Remove(line.Key); break;
                case RevocationKind.User: usersChanged = true; break;
            }
        }
        // The whole set, only when a user was disabled or enabled: an enable is seen as surely as a disable.
        if (usersChanged) await disabledUsers.LoadAsync(db, cancellationToken);
        cursor.Advance(ids, now);
        revokedJwts.Prune(unixNow);
        revokedHashes.Prune(unixNow);
    }

    /// <summary>
    /// At start-up, before the first request: the JWT deny-list, and the point the poll reads on from. The log's end is
    /// read first, so a revocation committed during the load is read again by the first poll rather than missed; the
    /// first poll also reads a few lines before it, for a transaction that had taken its id but not committed.
    /// </summary>
    public static async Task StartAsync(TesseraDbContext db, RevocationCursor cursor, RevokedJwtList revokedJwts, long now, CancellationToken cancellationToken)
    {
        var end = await db.RevocationEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        await revokedJwts.LoadAsync(db, now, cancellationToken);
        cursor.Start(Math.Max(0, end - StartOverlap));
    }
}
