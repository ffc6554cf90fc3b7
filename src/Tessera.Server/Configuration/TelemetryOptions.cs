namespace Tessera.Server.Configuration;

/// <summary>
/// Tessera:Telemetry — where traces and metrics go. Nothing is collected unless an exporter is configured: the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with the other <c>OTEL_*</c> variables), <see cref="Otlp"/>, or
/// <see cref="Prometheus"/>.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>An OTLP collector's base URL (e.g. <c>http://127.0.0.1:4318</c>), for operators who keep settings in Tessera's section.</summary>
    public string? Otlp { get; set; }

    /// <summary>The protocol <see cref="Otlp"/> speaks: <c>http/protobuf</c> (default, OpenTelemetry's own default) or <c>grpc</c>.</summary>
    public string OtlpProtocol { get; set; } = "http/protobuf";

    /// <summary>Answers a Prometheus scrape at <c>/metrics</c>: off by default.</summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// Who may scrape <c>/metrics</c> (CIDR); everyone else gets 404. Unset, loopback only. (Not a default list: the
    /// configuration binder adds configured entries to an array's defaults, so loopback could never be taken out.)
    /// </summary>
    public string[]? PrometheusNetworks { get; set; }

    public IEnumerable<string> EffectivePrometheusNetworks => PrometheusNetworks is { Length: > 0 } configured ? configured : ["127.0.0.0/8", "::1/128"];

    /// <summary>
    /// The share of traces started here that are recorded (0 to 1). 5 % by default: recording and exporting every token
    /// request's spans cost a quarter of the ES256 throughput (bench/RESULTS.md, "Telemetry"). Metrics count every
    /// request whatever the ratio.
    /// </summary>
    public double TraceSampleRatio { get; set; } = 0.05;

    /// <summary>
    /// Whether a caller's sampled traceparent makes this node record the trace (OpenTelemetry's parent-based default). Off
    /// by default: any caller can set the flag. Turn it on when the callers are your own gateway and services.
    /// </summary>
    public bool FollowCallerSampling { get; set; }
}
