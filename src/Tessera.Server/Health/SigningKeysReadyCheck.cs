using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tessera.Server.Catalog;
using Tessera.Server.Keys;

namespace Tessera.Server.Health;

/// <summary>Ready needs a key to sign with: an RS256 key active now (ID tokens always use it, OIDC Core §15.1).</summary>
internal sealed class SigningKeysReadyCheck(SnapshotCache snapshots, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(snapshots.Current.Keys.SigningKey(SigningAlgorithms.RS256, clock.GetUtcNow().ToUnixTimeSeconds()) is null
            ? HealthCheckResult.Unhealthy("no signing key is active")
            : HealthCheckResult.Healthy());
}
