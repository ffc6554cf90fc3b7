using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Tessera.Server.Telemetry;

/// <summary>
/// The server's own instruments, on the <c>Tessera</c> meter (Prometheus shows them as <c>tessera_…</c>). A counter that
/// no exporter listens to costs one check per call, so the token path pays for metrics only where they are collected.
/// Tags are bounded: grant types, formats, algorithms and OAuth error codes are fixed lists, client ids are registered
/// clients (an unauthenticated caller is never tagged with what it sent).
/// </summary>
public sealed class TesseraMetrics
{
    public const string MeterName = "Tessera";

    /// <summary>The counter the console's overview reads (<see cref="RecentTokenIssuance"/>).</summary>
    public const string TokensIssuedName = "tessera.tokens.issued";

    private readonly Counter<long> _tokensIssued;
    private readonly Counter<long> _tokenErrors;
    private readonly Counter<long> _introspections;
    private readonly Counter<long> _introspectionCacheLookups;
    private readonly Counter<long> _revocations;
    private readonly Counter<long> _refreshTokenReuses;
    private readonly Counter<long> _authorizationCodeReplays;
    private readonly Counter<long> _signIns;
    private readonly Counter<long> _keyRotations;
    private readonly Counter<long> _auditDropped;
    private readonly Counter<long> _housekeepingDeleted;
    private readonly Histogram<double> _housekeepingPasses;

    public TesseraMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _tokensIssued = Meter.CreateCounter<long>(TokensIssuedName, "{token}", "Access tokens issued, by grant type, token format, signing algorithm and client.");
        _tokenErrors = Meter.CreateCounter<long>("tessera.token.errors", "{error}", "Token endpoint refusals, by OAuth error code and grant type.");
        _introspections = Meter.CreateCounter<long>("tessera.introspections", "{request}", "Introspection answers, by whether the token was active.");
        _introspectionCacheLookups = Meter.CreateCounter<long>("tessera.introspection.cache.lookups", "{lookup}", "Opaque-token look-ups, by whether this node's cache answered (hit ratio = hit / all).");
        _revocations = Meter.CreateCounter<long>("tessera.revocations", "{token}", "Tokens revoked at the revocation endpoint, by token type.");
        _refreshTokenReuses = Meter.CreateCounter<long>("tessera.refresh_token.reuses", "{event}", "Reused refresh tokens detected (their family is revoked).");
        _authorizationCodeReplays = Meter.CreateCounter<long>("tessera.authorization_code.replays", "{event}", "Authorization codes presented twice (their tokens are revoked).");
        _signIns = Meter.CreateCounter<long>("tessera.signins", "{attempt}", "Sign-in attempts, by outcome (succeeded, failed, locked, mfa_required) and method.");
        _keyRotations = Meter.CreateCounter<long>("tessera.keys.rotations", "{key}", "Signing keys created by rotation, by algorithm.");
        _auditDropped = Meter.CreateCounter<long>("tessera.audit.dropped", "{event}", "Audit events not written to the table because the queue was full (they are still logged).");
        _housekeepingDeleted = Meter.CreateCounter<long>("tessera.housekeeping.deleted", "{row}", "Expired rows deleted by housekeeping, by table.");
        _housekeepingPasses = Meter.CreateHistogram<double>("tessera.housekeeping.pass.duration", "s",
            "Housekeeping passes, by outcome: completed (every table worked off) or skipped (another node held the lease).");
    }

    /// <summary>The meter, for the gauges whose values live elsewhere (active sessions, key age, outbox backlog).</summary>
    public Meter Meter { get; }

    public void TokenIssued(string grantType, string clientId, string format, string? algorithm)
    {
        if (!_tokensIssued.Enabled) return;
        var tags = new TagList { { "grant_type", grantType }, { "token_format", format }, { "client_id", clientId } };
        if (algorithm is not null) tags.Add("signing_alg", algorithm);
        _tokensIssued.Add(1, tags);
    }

    /// <param name="grantType">Null when the request named no grant type this server knows: the tag is left out.</param>
    public void TokenError(string error, string? grantType)
    {
        if (grantType is null) _tokenErrors.Add(1, new KeyValuePair<string, object?>("error", error));
        else _tokenErrors.Add(1, new KeyValuePair<string, object?>("error", error), new KeyValuePair<string, object?>("grant_type", grantType));
    }

    public void Introspected(bool active) => _introspections.Add(1, new KeyValuePair<string, object?>("active", active));

    public void IntrospectionCacheLookup(bool hit) => _introspectionCacheLookups.Add(1, new KeyValuePair<string, object?>("hit", hit));

    public void Revoked(string tokenType) => _revocations.Add(1, new KeyValuePair<string, object?>("token_type", tokenType));

    public void RefreshTokenReused(string clientId) => _refreshTokenReuses.Add(1, new KeyValuePair<string, object?>("client_id", clientId));

    public void AuthorizationCodeReplayed(string clientId) =>
        _authorizationCodeReplays.Add(1, new KeyValuePair<string, object?>("client_id", clientId));

    public void SignIn(string outcome, string method) =>
        _signIns.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("method", method));

    public void AuditEventDropped() => _auditDropped.Add(1);

    public void HousekeepingDeleted(string table, int rows) =>
        _housekeepingDeleted.Add(rows, new KeyValuePair<string, object?>("table", table));

    public void HousekeepingPass(string outcome, TimeSpan duration) =>
        _housekeepingPasses.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    public void KeyRotated(string algorithm) => _keyRotations.Add(1, new KeyValuePair<string, object?>("signing_alg", algorithm));
}
