using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Server.Catalog;

/// <summary>
/// A token of this issuer signed with a key id this node does not know was probably signed by another node right after
/// a rotation, before this node's next snapshot poll. Before deciding that such a token is invalid (and a revocation
/// of it a no-op), the node reloads its keys from the database: single-flight, and at most one reload per
/// <see cref="MinimumInterval"/>, so tokens with made-up key ids cannot turn into a database load. Nothing of the
/// token is trusted here: the caller validates it again against the reloaded keys.
/// </summary>
internal sealed class KeyRingReloader(SnapshotCache snapshots, TimeProvider clock)
{
    /// <summary>Like the resource-server library's JWKS refresh: one reload per interval, however many tokens ask.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Task? _scheduled;
    private long? _lastStartedAt;

    /// <summary>
    /// True when <paramref name="failed"/> failed only because its key id was unknown, a reload that started after this
    /// call has run, and the key id is known now: the caller then validates the token once more.
    /// </summary>
    public async ValueTask<bool> ReloadedForAsync(string token, TokenValidationResult failed, string issuer)
    {
        if (failed.Exception is not SecurityTokenSignatureKeyNotFoundException) return false;
        var unverified = new JsonWebToken(token);
        // Only our own issuer's tokens can be signed with a key that is in our database.
        if (string.IsNullOrEmpty(unverified.Kid) || !string.Equals(unverified.Issuer, issuer, StringComparison.Ordinal)) return false;
        // The regular poll may have loaded it meanwhile.
        if (snapshots.Current.Keys.Find(unverified.Kid) is not null) return true;

        await NextReloadAsync();
        return snapshots.Current.Keys.Find(unverified.Kid) is not null;
    }

    /// <summary>
    /// Joins the reload that has not started yet, or schedules one: at once, or when the interval since the last one ends.
    /// A reload already running may have read the keys before the caller's token was signed, so callers never join it.
    /// </summary>
    private Task NextReloadAsync()
    {
        lock (_gate)
        {
            if (_scheduled is not null) return _scheduled;
            var wait = _lastStartedAt is { } last ? MinimumInterval - clock.GetElapsedTime(last) : TimeSpan.Zero;
            // Task.Run: the reload takes the gate itself to mark its start, after this caller has published it.
            _scheduled = Task.Run(() => ReloadAfterAsync(wait));
            return _scheduled;
        }
    }

    private async Task ReloadAfterAsync(TimeSpan wait)
    {
        if (wait > TimeSpan.Zero) await Task.Delay(wait, clock);
        lock (_gate)
        {
            _scheduled = null;
            _lastStartedAt = clock.GetTimestamp();
        }
        await snapshots.ReloadKeysAsync(CancellationToken.None);
    }
}
