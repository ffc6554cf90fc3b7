using System.Net;
using System.Net.Sockets;

namespace Tessera.Server.Registration.MetadataDocuments;

/// <summary>
/// Whether an address is on the public internet: what a URL a stranger gave us may make this server connect to. Every
/// special-purpose range of the IANA registries (RFC 6890 and its updates) is refused — loopback, private, shared
/// (CGNAT), link-local (cloud metadata services live there), documentation, benchmarking, multicast, reserved — and the
/// IPv6 forms that carry an IPv4 address are judged by that address.
/// </summary>
internal static class PublicAddresses
{
    private static readonly IPNetwork[] NotPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.88.99.0/24"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("100::/64"), IPNetwork.Parse("2001::/23"),
        IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return IsPublic(address.MapToIPv4());
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            // RFC 6052 NAT64 (64:ff9b::/96) and RFC 3056 6to4 (2002::/16) reach the IPv4 address inside them.
            if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
                return IsPublic(new IPAddress(bytes.AsSpan(12, 4)));
            if (bytes[0] == 0x20 && bytes[1] == 0x02) return IsPublic(new IPAddress(bytes.AsSpan(2, 4)));
            // RFC 4291 §2.5.5.1: the deprecated IPv4-compatible form (::a.b.c.d).
            if (bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0) return false;
        }
        else if (address.AddressFamily != AddressFamily.InterNetwork) return false;
        return !NotPublic.Any(network => network.Contains(address));
    }
}
