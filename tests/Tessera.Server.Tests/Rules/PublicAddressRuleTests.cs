using System.Net;
using Tessera.Server.Registration.MetadataDocuments;

namespace Tessera.Server.Tests.Rules;

/// <summary>
/// Every rule of <see cref="PublicAddresses"/>, one row each with its reason: where a URL a stranger names (a client ID
/// metadata document, a jwks_uri) may make this server connect. <c>ClientIdMetadataDocumentTests</c> drives it over HTTPS.
/// </summary>
public sealed class PublicAddressRuleTests
{
    public static TheoryData<string, bool, string> Addresses => new()
    {
        { "93.184.215.14", true, "an ordinary public IPv4 address" },
        { "2606:4700:4700::1111", true, "an ordinary public IPv6 address" },
        { "127.0.0.1", false, "RFC 1122 loopback: this server itself" },
        { "127.255.0.9", false, "all of 127/8 is loopback" },
        { "0.0.0.0", false, "RFC 1122 'this network': connects to the local host on Linux" },
        { "10.20.30.40", false, "RFC 1918 private" },
        { "172.31.0.1", false, "RFC 1918 private (172.16/12)" },
        { "192.168.1.1", false, "RFC 1918 private" },
        { "100.64.0.1", false, "RFC 6598 shared address space (carrier NAT)" },
        { "169.254.169.254", false, "RFC 3927 link-local: the cloud metadata service" },
        { "192.0.2.10", false, "RFC 5737 documentation" },
        { "198.18.0.1", false, "RFC 2544 benchmarking" },
        { "224.0.0.1", false, "multicast" },
        { "255.255.255.255", false, "reserved (240/4) and broadcast" },
        { "::1", false, "IPv6 loopback" },
        { "::", false, "the unspecified address" },
        { "fe80::1", false, "IPv6 link-local" },
        { "fd12:3456::1", false, "RFC 4193 unique local" },
        { "ff02::1", false, "IPv6 multicast" },
        { "2001:db8::1", false, "RFC 3849 documentation" },
        { "::ffff:127.0.0.1", false, "an IPv4-mapped address is judged by its IPv4 address" },
        { "::ffff:93.184.215.14", true, "a mapped public IPv4 address is public" },
        { "64:ff9b::a9fe:a9fe", false, "RFC 6052 NAT64 reaching 169.254.169.254" },
        { "2002:0a00:0001::1", false, "RFC 3056 6to4 reaching 10.0.0.1" },
        { "::10.0.0.1", false, "the deprecated IPv4-compatible form" },
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public void Only_public_addresses_may_be_fetched_from(string address, bool isPublic, string reason) =>
        Assert.True(isPublic == PublicAddresses.IsPublic(IPAddress.Parse(address)), $"{reason}: {address} should {(isPublic ? "" : "not ")}be public");
}
