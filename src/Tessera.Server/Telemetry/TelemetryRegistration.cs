using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Tessera.Server.Configuration;

namespace Tessera.Server.Telemetry;

/// <summary>
/// OpenTelemetry's traces and metrics, switched on by an exporter: the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>,
/// <c>Tessera:Telemetry:Otlp</c>, or the Prometheus scrape endpoint. Traces follow a request from Kestrel through the
/// server's own spans (<see cref="TesseraTracing"/>) into EF Core and Npgsql, and out through HttpClient (W3C traceparent).
/// Metrics are the <c>Tessera</c> meter's, ASP.NET Core's and Kestrel's built-in meters, HttpClient's and Npgsql's.
/// </summary>
internal static class TelemetryRegistration
{
    /// <summary>The OpenTelemetry variable that names a collector (OpenTelemetry's exporter reads it and its siblings).</summary>
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Request duration and active requests; connections and TLS handshakes; unhandled exceptions; rate-limiter leases.</summary>
    private static readonly string[] AspNetCoreMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting"];

    public static void AddTesseraTelemetry(this WebApplicationBuilder builder, TelemetryOptions telemetry)
    {
        builder.Services.AddSingleton<TesseraMetrics>();
        builder.Services.AddSingleton<RecentTokenIssuance>();
        var otlpFromEnvironment = !string.IsNullOrEmpty(builder.Configuration[OtlpEndpointVariable]);
        var otlp = !string.IsNullOrEmpty(telemetry.Otlp);
        if (!otlpFromEnvironment && !otlp && !telemetry.Prometheus) return;

        var openTelemetry = builder.Services.AddOpenTelemetry()
            // OTEL_SERVICE_NAME wins, as the OpenTelemetry specification says; else "tessera".
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "tessera",
                serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(tracing => tracing
                // Traces that start here are sampled at the ratio. A caller's "sampled" flag is anyone's to set: followed only
                // when the operator says the callers are their own (FollowCallerSampling), else sampled at the ratio too,
                // so no caller can make every request record and export its spans.
                .SetSampler(Sampler(telemetry))
                .AddSource(TesseraTracing.SourceName)
                // Probes every few seconds would bury the requests that matter.
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context => !context.Request.Path.Value!.Contains("/health/", StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TesseraMetrics.MeterName)
                    // ASP.NET Core's built-in meters, named rather than all of them (AddAspNetCoreInstrumentation): routing's
                    // match-attempts counter is one more measurement on every request and says nothing the request
                    // duration's http.route does not (bench/RESULTS.md, "Telemetry").
                    .AddMeter(AspNetCoreMeters)
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (telemetry.Prometheus) metrics.AddPrometheusExporter();
            });

        if (otlp)
            openTelemetry.UseOtlpExporter(
                telemetry.OtlpProtocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf, new Uri(telemetry.Otlp!));
        else if (otlpFromEnvironment)
            openTelemetry.UseOtlpExporter();
    }

    private static ParentBasedSampler Sampler(TelemetryOptions telemetry)
    {
        var ratio = new TraceIdRatioBasedSampler(telemetry.TraceSampleRatio);
        return telemetry.FollowCallerSampling
            ? new ParentBasedSampler(ratio)
            : new ParentBasedSampler(ratio, remoteParentSampled: ratio, remoteParentNotSampled: new AlwaysOffSampler(),
                localParentSampled: new AlwaysOnSampler(), localParentNotSampled: new AlwaysOffSampler());
    }

    /// <summary><c>/metrics</c> when Tessera:Telemetry:Prometheus is on, answered only inside PrometheusNetworks (404 elsewhere).</summary>
    public static void MapTesseraMetrics(this WebApplication app, TelemetryOptions telemetry, IssuerUrls urls)
    {
        if (!telemetry.Prometheus) return;
        var networks = PrometheusNetworks.Parse(telemetry.EffectivePrometheusNetworks);
        app.MapPrometheusScrapingEndpoint(urls.PathBase + "/metrics").AddEndpointFilter(async (context, next) =>
            networks.Allows(context.HttpContext) ? await next(context) : Results.NotFound());
    }
}
