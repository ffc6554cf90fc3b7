using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Tessera.Gateway.Telemetry;

/// <summary>
/// The gateway's traces and metrics, exported over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names a
/// collector. A caller's W3C traceparent is continued; the forwarded request, the introspection and the token exchange
/// at Tessera carry the gateway's span on (HttpClient and YARP's forwarder both propagate it), so one trace follows a
/// caller through the gateway into the services and into Tessera.
/// </summary>
internal static class GatewayTelemetry
{
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddGatewayTelemetry(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[OtlpEndpointVariable])) return;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "tessera-gateway",
                serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
            .UseOtlpExporter();
    }
}
