using System.Net;

namespace Tessera.Server.Configuration;

/// <summary>Tessera:Telemetry's settings, checked at start: a collector URL that parses, a known protocol, CIDR networks.</summary>
internal static class TelemetryRule
{
    public static void Validate(TelemetryOptions telemetry, List<string> errors)
    {
        if (telemetry.Otlp is { Length: > 0 } otlp
            && (!Uri.TryCreate(otlp, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            errors.Add("Tessera:Telemetry:Otlp must be an absolute http or https URL of an OTLP collector.");
        if (telemetry.OtlpProtocol is not ("http/protobuf" or "grpc"))
            errors.Add("Tessera:Telemetry:OtlpProtocol must be 'http/protobuf' or 'grpc'.");
        if (telemetry.TraceSampleRatio is < 0 or > 1 || double.IsNaN(telemetry.TraceSampleRatio))
            errors.Add("Tessera:Telemetry:TraceSampleRatio must be between 0 and 1.");
        foreach (var network in telemetry.EffectivePrometheusNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
                errors.Add($"Tessera:Telemetry:PrometheusNetworks: '{network}' is not a CIDR network (e.g. 10.0.0.0/8).");
        }
    }
}
