using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;

namespace Tessera.Server.Health;

/// <summary>
/// Ready needs a current configuration: the change stamp was read within three refresh intervals (at least 30 s). A
/// node that cannot poll would keep answering with clients and keys another node has changed.
/// </summary>
internal sealed class SnapshotFreshnessCheck(SnapshotCache snapshots, IOptions<TesseraOptions> options, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var allowed = TimeSpan.FromTicks(Math.Max(options.Value.Cache.RefreshInterval.Ticks * 3, TimeSpan.FromSeconds(30).Ticks));
        var fresh = snapshots.LastCheckedAt is { } at && clock.GetUtcNow() - at <= allowed;
        return Task.FromResult(fresh ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the configuration snapshot is stale"));
    }
}
