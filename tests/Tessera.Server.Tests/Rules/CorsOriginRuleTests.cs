using Tessera.Server.Protocol.Rules;

namespace Tessera.Server.Tests.Rules;

/// <summary>
/// Every rule of <see cref="CorsOrigins"/>, one row each with its reason: the origin browsers send for a redirect URI,
/// and which allowedCorsOrigins values may be registered. <c>CorsTests</c> drives the same rules over HTTP.
/// </summary>
public sealed class CorsOriginRuleTests
{
    public static TheoryData<string, string?, string> Origins => new()
    {
        { "https://app.example/callback", "https://app.example", "RFC 6454 §6.2: scheme and host, no path" },
        { "https://App.Example:443/cb?x=1", "https://app.example", "lower case, the default port left out" },
        { "http://localhost:3000/cb", "http://localhost:3000", "another port stays" },
        { "http://[::1]:8080/cb", "http://[::1]:8080", "an IPv6 literal keeps its brackets" },
        { "https://bücher.example/cb", "https://xn--bcher-kva.example", "RFC 6454 §6.2: the host in its ASCII form" },
        { "com.example.app:/callback", null, "a native app's private-use scheme has no web origin" },
    };

    [Theory]
    [MemberData(nameof(Origins))]
    public void A_redirect_uri_has_the_origin_a_browser_sends(string uri, string? origin, string reason) =>
        Assert.True(origin == CorsOrigins.OriginOf(uri), $"{reason}: expected '{origin}', got '{CorsOrigins.OriginOf(uri)}'");

    public static TheoryData<string?, string?, string> Registrations => new()
    {
        { "https://app.example", null, "an https origin" },
        { "https://app.example:8443", null, "with a port" },
        { "http://127.0.0.1:3000", null, "http on a loopback host" },
        { "http://localhost:3000", null, "http on localhost" },
        { null, "must be an origin: https://host[:port] (RFC 6454 §4)", "nothing" },
        { "*", "must be an origin: https://host[:port] (RFC 6454 §4)", "a wildcard is not an origin" },
        { "null", "must be an origin: https://host[:port] (RFC 6454 §4)", "the opaque origin of sandboxed pages" },
        { "app.example", "must be an origin: https://host[:port] (RFC 6454 §4)", "no scheme" },
        { "ftp://app.example", "must be an origin: https://host[:port] (RFC 6454 §4)", "not a web scheme" },
        { "https://app.example/", "must be an origin alone, without user, path (not even '/'), query or fragment (RFC 6454 §4)", "a trailing slash" },
        { "https://app.example/spa", "must be an origin alone, without user, path (not even '/'), query or fragment (RFC 6454 §4)", "a path" },
        { "https://app.example?x", "must be an origin alone, without user, path (not even '/'), query or fragment (RFC 6454 §4)", "a query" },
        { "https://u@app.example", "must be an origin alone, without user, path (not even '/'), query or fragment (RFC 6454 §4)", "user info" },
        { "http://app.example", "must use https, or http on a loopback host (RFC 9700 §2.1)", "http off loopback" },
        { "https://App.example", "must be written as browsers send it: 'https://app.example' (RFC 6454 §6.2)", "upper case never matches" },
        { "https://app.example:443", "must be written as browsers send it: 'https://app.example' (RFC 6454 §6.2)", "browsers leave the default port out" },
    };

    [Theory]
    [MemberData(nameof(Registrations))]
    public void A_registration_is_checked(string? value, string? problem, string reason) =>
        Assert.True(problem == CorsOrigins.ProblemWithRegistration(value), $"{reason}: expected '{problem}', got '{CorsOrigins.ProblemWithRegistration(value)}'");
}
