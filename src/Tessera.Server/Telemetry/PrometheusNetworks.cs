using System.Net;

namespace Tessera.Server.Telemetry;

/// <summary>
/// Who may read <c>/metrics</c>: client ids, error rates and sign-in counts are an attacker's reconnaissance, so the
/// scrape endpoint answers only the configured networks and 404 to everyone else (it does not even admit it exists).
/// The address is the connection's, after the forwarded-headers rules of Tessera:ForwardedHeaders.
/// </summary>
internal sealed class PrometheusNetworks(IReadOnlyList<IPNetwork> networks)
{
    public static PrometheusNetworks Parse(IEnumerable<string> cidrs) => new([.. cidrs.Select(c => IPNetwork.Parse(c))]);

    /// <summary>
    /// A request still carrying X-Forwarded-For came through a proxy whose headers were not applied (Tessera:ForwardedHeaders
    /// names no such proxy): its address is the proxy's — loopback for nginx on the same host — not the caller's. Refused.
    /// </summary>
    public bool Allows(HttpContext context) =>
        !context.Request.Headers.ContainsKey("X-Forwarded-For") && Allows(context.Connection.RemoteIpAddress);

    public bool Allows(IPAddress? address)
    {
        if (address is null) return false;
        // A dual-stack socket reports an IPv4 caller as ::ffff:a.b.c.d; the operator wrote a.b.c.d/n.
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return networks.Any(network => network.Contains(address));
    }
}
