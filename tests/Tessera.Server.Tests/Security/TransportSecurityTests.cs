using System.Net;
using System.Text.RegularExpressions;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Cookies and transport behind a TLS-terminating proxy. The test host listens on plain HTTP at 127.0.0.1 and plays the
/// proxy itself: X-Forwarded-Proto says what the proxy's client used.
/// </summary>
public sealed partial class TransportSecurityTests
{
    private const string PublicIssuer = "https://id.example.test";

    private static Dictionary<string, string?> BehindProxy(string knownProxy) => new()
    {
        ["Tessera:Issuer"] = PublicIssuer,
        ["Tessera:ForwardedHeaders:KnownProxies:0"] = knownProxy,
    };

    [Fact]
    public async Task Behind_a_known_proxy_an_https_issuer_sends_secure_host_prefixed_cookies_and_hsts()
    {
        await using var server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, StandardImport(), BehindProxy("127.0.0.1"));
        using var http = NoCookies(server);

        var page = await SendAsync(http, HttpMethod.Get, "/account/sign-in", forwardedProto: "https");
        var antiforgery = Assert.Single(SetCookies(page), c => c.Contains("tessera.antiforgery"));
        Assert.StartsWith("__Host-tessera.antiforgery=", antiforgery);
        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", antiforgery, StringComparison.OrdinalIgnoreCase);
        // One year, this host only, not preloaded.
        Assert.Equal("max-age=31536000", string.Join(",", page.Headers.GetValues("Strict-Transport-Security")));

        var html = await page.Content.ReadAsStringAsync();
        var signedIn = await SendAsync(http, HttpMethod.Post, "/account/sign-in", forwardedProto: "https",
            cookie: antiforgery.Split(';')[0],
            form: [("Username", "alice"), ("Password", "Alice-test-pass-1"), ("__RequestVerificationToken", WebUtility.HtmlDecode(TokenField().Match(html).Groups[1].Value))]);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = Assert.Single(SetCookies(signedIn), c => c.Contains("tessera.session"));
        Assert.StartsWith("__Host-tessera.session=", session);
        Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unknown_proxy_cannot_make_the_server_believe_a_request_came_over_https()
    {
        await using var server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, StandardImport(), BehindProxy("10.9.8.7"));
        using var http = NoCookies(server);

        var page = await SendAsync(http, HttpMethod.Get, "/account/sign-in", forwardedProto: "https");

        // HSTS is sent on https responses only: the forged X-Forwarded-Proto was ignored.
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
        // Seen as plain HTTP, the page is refused (anti-forgery demands https for its Secure cookie): no cookie leaves in clear.
        Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);
        Assert.Empty(SetCookies(page));
    }

    [Fact]
    public async Task A_loopback_http_issuer_keeps_its_cookie_names_without_secure_and_sends_no_hsts()
    {
        await using var server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, StandardImport());
        using var http = NoCookies(server);

        var page = await SendAsync(http, HttpMethod.Get, "/account/sign-in", forwardedProto: "https");

        var antiforgery = Assert.Single(SetCookies(page), c => c.Contains("tessera.antiforgery"));
        Assert.StartsWith("tessera.antiforgery=", antiforgery);
        Assert.DoesNotContain("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
    }

    private static HttpClient NoCookies(TesseraServer server) =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string forwardedProto,
        string? cookie = null, (string Name, string Value)[]? form = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (form is not null) request.Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await http.SendAsync(request);
    }

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]*)\"")]
    private static partial Regex TokenField();
}
