using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Tessera.Server.Configuration;

namespace Tessera.Server.Health;

/// <summary>
/// ASP.NET Core health checks under the issuer's path: <c>/health/live</c> answers 200 while the process serves
/// requests; <c>/health/ready</c> 200 only with the database reachable and migrated, a signing key active and the
/// configuration snapshot fresh, else 503, so a load balancer drains the node. Bodies say Healthy or Unhealthy only.
/// </summary>
internal static class HealthRegistration
{
    private const string Ready = "ready";

    public static IServiceCollection AddTesseraHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: [Ready])
            .AddCheck<SigningKeysReadyCheck>("signing-keys", tags: [Ready])
            .AddCheck<SnapshotFreshnessCheck>("configuration", tags: [Ready]);
        services.AddHostedService<OperationalGauges>();
        return services;
    }

    public static void MapTesseraHealth(this WebApplication app, IssuerUrls urls)
    {
        app.MapHealthChecks(urls.PathBase + "/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(urls.PathBase + "/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) });
    }
}
