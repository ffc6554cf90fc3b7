using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Catalog;
using Tessera.Server.Hosting;
using Tessera.Server.Keys;
using Tessera.Server.Storage;
using Tessera.Server.Telemetry;

namespace Tessera.Server.Health;

/// <summary>
/// The gauges whose values are not events: active sessions and the back-channel logout outbox (counted in the database
/// once a minute, and only while an exporter listens — a count on every scrape would put the scraper's rate on the
/// database), and the age of each algorithm's current signing key (read from this node's snapshot when collected).
/// </summary>
internal sealed class OperationalGauges : PeriodicService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly ITesseraDbContextFactory _databases;
    private readonly TimeProvider _clock;
    private readonly ObservableGauge<long> _sessions;
    private readonly ObservableGauge<long> _backlog;
    private long _activeSessions = -1;
    private long _outboxBacklog = -1;

    public OperationalGauges(TesseraMetrics metrics, ITesseraDbContextFactory databases, SnapshotCache snapshots, TimeProvider clock,
        ILogger<OperationalGauges> logger) : base(Interval, logger)
    {
        _databases = databases;
        _clock = clock;
        _sessions = metrics.Meter.CreateObservableGauge("tessera.sessions.active", ObserveSessions, "{session}",
            "Sign-in sessions neither ended nor expired, in the whole cluster (counted once a minute).");
        _backlog = metrics.Meter.CreateObservableGauge("tessera.backchannel_logout.backlog", ObserveBacklog, "{notification}",
            "Back-channel logout notifications waiting to be delivered (counted once a minute).");
        metrics.Meter.CreateObservableGauge("tessera.keys.age", () => KeyAges(snapshots.Current.Keys, _clock.GetUtcNow().ToUnixTimeSeconds()), "s",
            "Seconds since the current signing key of each algorithm began signing.");
    }

    /// <summary>Counts now, then at every tick: the first scrape after a start should not wait a minute for a value.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SampleSafelyAsync(stoppingToken);
        await base.ExecuteAsync(stoppingToken);
    }

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => SampleAsync(cancellationToken);

    private async Task SampleSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SampleAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database may still be coming up; the next tick tries again (PeriodicService logs its failures).
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        if (!_sessions.Enabled && !_backlog.Enabled) return;
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = _databases.Create();
        Interlocked.Exchange(ref _activeSessions,
            await db.UserSessions.LongCountAsync(s => s.EndedAt == null && s.ExpiresAt > now, cancellationToken));
        Interlocked.Exchange(ref _outboxBacklog, await db.LogoutNotifications.LongCountAsync(cancellationToken));
    }

    private IEnumerable<Measurement<long>> ObserveSessions()
    {
        var value = Interlocked.Read(ref _activeSessions);
        return value < 0 ? [] : [new Measurement<long>(value)];
    }

    private IEnumerable<Measurement<long>> ObserveBacklog()
    {
        var value = Interlocked.Read(ref _outboxBacklog);
        return value < 0 ? [] : [new Measurement<long>(value)];
    }

    private static IEnumerable<Measurement<long>> KeyAges(KeyRing keys, long now) =>
        keys.Keys.Select(k => k.Algorithm).Distinct()
            .Select(algorithm => keys.SigningKey(algorithm, now))
            .Where(key => key is not null)
            .Select(key => new Measurement<long>(now - key!.ActivatesAt, new KeyValuePair<string, object?>("signing_alg", key.Algorithm)));
}
