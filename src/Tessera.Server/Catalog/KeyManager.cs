using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Audit;
using Tessera.Server.Configuration;
using Tessera.Server.Keys;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Keys;
using Tessera.Server.Telemetry;

namespace Tessera.Server.Catalog;

/// <summary>
/// Key lifecycle: create the first key, pre-publish the next one, retire superseded ones, and forget them once every
/// token they signed has expired. Each node runs it; the outcome only depends on the database, so nodes agree.
/// </summary>
internal sealed partial class KeyManager(
    ITesseraDbContextFactory databases,
    KeyMaterial keyMaterial,
    SnapshotCache cache,
    IOptions<TesseraOptions> options,
    TimeProvider clock,
    TesseraMetrics metrics,
    AuditTrail audit,
    ILogger<KeyManager> logger)
{
    // Tokens may be checked a little after exp by APIs with clock skew: keep retired keys that much longer.
    private static readonly TimeSpan RetentionSlack = TimeSpan.FromMinutes(1);

    /// <summary>Brings the stored keys in line with the schedule; reloads the snapshot if anything changed.</summary>
    public async Task EnsureKeysAsync(CancellationToken cancellationToken)
    {
        var keys = options.Value.Keys;
        var catalog = cache.Current.Catalog;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();

        await using var db = databases.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.SigningKeys.Where(k => k.UnpublishAt != null && k.UnpublishAt <= now).ExecuteDeleteAsync(cancellationToken) > 0;

        foreach (var algorithm in AlgorithmsInUse(catalog))
        {
            var stored = await db.SigningKeys.Where(k => k.Algorithm == algorithm).ToListAsync(cancellationToken);
            // A retired key is never current again: a rotate-now key may share its activation second with the key it replaced.
            var current = CurrentSigningKey.Among(stored, algorithm, now);
            if (current is null)
            {
                db.SigningKeys.Add(keyMaterial.Create(algorithm, keys.RsaKeySize, now, now));
                Log.FirstKeyCreated(logger, algorithm);
                changed = true;
                continue;
            }

            changed |= Retire(stored.Where(k => k != current && k.ActivatesAt <= current.ActivatesAt), current.ActivatesAt, catalog);

            var hasNext = stored.Any(k => k.ActivatesAt > current.ActivatesAt);
            var nextDue = current.ActivatesAt + (long)(keys.RotationPeriod - keys.PrepublishPeriod).TotalSeconds;
            if (!hasNext && now >= nextDue)
            {
                // The successor is published now and signs only after the pre-publish period, so JWKS caches already know it.
                var activatesAt = Math.Max(current.ActivatesAt + (long)keys.RotationPeriod.TotalSeconds, now + (long)keys.PrepublishPeriod.TotalSeconds);
                var next = keyMaterial.Create(algorithm, keys.RsaKeySize, activatesAt, now);
                db.SigningKeys.Add(next);
                Log.NextKeyPublished(logger, algorithm, next.Id, DateTimeOffset.FromUnixTimeSeconds(activatesAt));
                metrics.KeyRotated(algorithm);
                // Scheduled: the server's own doing, saved with the key.
                audit.Add(db, new AuditEntry(AuditEventTypes.KeyRotated)
                {
                    Actor = AuditEventTypes.System,
                    Details = new Dictionary<string, string?> { ["kid"] = next.Id, ["alg"] = algorithm, ["activates_at"] = activatesAt.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                }, null);
                changed = true;
            }
        }

        if (!changed)
        {
            // Two nodes starting together: the other created the first keys after this node loaded its snapshot. Without
            // them here this node could not sign until its next poll.
            if (AlgorithmsInUse(catalog).Any(algorithm => cache.Current.Keys.SigningKey(algorithm, now) is null))
                await cache.RefreshAsync(force: true, cancellationToken);
            return;
        }
        await db.SaveChangesAsync(cancellationToken);
        await ChangeStamps.BumpAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await cache.RefreshAsync(force: true, cancellationToken);
    }

    /// <summary>Rotate now (e.g. a suspected key leak): a new key signs at once; the old one stays published for its tokens.</summary>
    public async Task<SigningKey> RotateNowAsync(string algorithm, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var catalog = cache.Current.Catalog;
        await using var db = databases.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var stored = await db.SigningKeys.Where(k => k.Algorithm == algorithm).ToListAsync(cancellationToken);

        // A pending successor would take over from the new key early: it never signed anything, so drop it.
        db.SigningKeys.RemoveRange(stored.Where(k => k.ActivatesAt > now));
        var fresh = keyMaterial.Create(algorithm, options.Value.Keys.RsaKeySize, now, now);
        Retire(stored.Where(k => k.ActivatesAt <= now), now, catalog);
        db.SigningKeys.Add(fresh);
        // An administrator's rotation (the actor is read from the request), saved with the key.
        audit.Add(db, new AuditEntry(AuditEventTypes.KeyRotated)
        {
            Details = new Dictionary<string, string?> { ["kid"] = fresh.Id, ["alg"] = algorithm },
        }, null);

        await db.SaveChangesAsync(cancellationToken);
        await ChangeStamps.BumpAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await cache.RefreshAsync(force: true, cancellationToken);
        Log.KeyRotatedNow(logger, algorithm, fresh.Id);
        metrics.KeyRotated(algorithm);
        return fresh;
    }

    /// <summary>RS256 always (the built-in API, and ID tokens), plus whatever asymmetric algorithm an API chose.</summary>
    public static IEnumerable<string> AlgorithmsInUse(ClientCatalog catalog) =>
        catalog.Apis.Select(a => a.SigningAlgorithm).Where(SigningAlgorithms.IsAsymmetric).Append(SigningAlgorithms.RS256).Distinct();

    /// <summary>A superseded key stops signing at <paramref name="supersededAt"/> and stays published until its last token expires.</summary>
    private static bool Retire(IEnumerable<SigningKey> superseded, long supersededAt, ClientCatalog catalog)
    {
        var unpublishAt = supersededAt + (long)(catalog.MaxAccessTokenLifetime + RetentionSlack).TotalSeconds;
        var changed = false;
        foreach (var key in superseded.Where(k => k.UnpublishAt is null))
        {
            key.UnpublishAt = unpublishAt;
            changed = true;
        }
        return changed;
    }
}
