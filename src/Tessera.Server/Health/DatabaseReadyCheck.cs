using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tessera.Server.Storage;

namespace Tessera.Server.Health;

/// <summary>
/// Ready needs the database: reachable, and at the schema this build expects (no migration pending — another node's
/// newer build may be mid-upgrade). Bounded in time, so a load balancer's probe never hangs on a dead connection.
/// </summary>
internal sealed class DatabaseReadyCheck(ITesseraDbContextFactory databases) : IHealthCheck
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Bound);
        try
        {
            await using var db = databases.Create();
            if (!await db.Database.CanConnectAsync(timeout.Token)) return HealthCheckResult.Unhealthy("the database cannot be reached");
            if ((await db.Database.GetPendingMigrationsAsync(timeout.Token)).Any()) return HealthCheckResult.Unhealthy("the database schema is not migrated");
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || timeout.IsCancellationRequested)
        {
            // The reason goes to the log through the health check service; the probe gets only the status.
            return HealthCheckResult.Unhealthy("the database cannot be reached", e);
        }
    }
}
