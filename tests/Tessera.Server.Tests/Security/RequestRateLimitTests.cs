using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.DeviceFlow;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Issue 14 item 6: request rates per client IP (registration, device authorization, the device page) and, when
/// configured, per client (token and introspection endpoints), counted in memory per node with ASP.NET Core's rate
/// limiter. Floods are bounded loops from the test host's one address; each test starts a server with low limits.
/// </summary>
public abstract class RequestRateLimitTests(DatabaseKind kind)
{
    private Task<TesseraServer> StartAsync(params (string Name, string Value)[] settings) =>
        TesseraServer.StartAsync(kind, PeopleImport.Create(), settings.ToDictionary(s => "Tessera:" + s.Name, s => (string?)s.Value));

    [Fact]
    public async Task Device_authorizations_from_one_address_are_refused_with_429_and_an_OAuth_error_after_the_limit()
    {
        await using var server = await StartAsync(("RateLimits:DeviceAuthorizationsPerIp:PermitLimit", "3"));
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);
        for (var i = 0; i < 3; i++) Assert.Equal(200, (await AuthorizeAsync(protocol, "openid")).Status);

        var flood = await AuthorizeAsync(protocol, "openid");

        AssertProtocolTooManyRequests(flood, maxSeconds: 60);
    }

    [Fact]
    public async Task Device_page_submissions_from_one_address_are_refused_with_429_after_the_limit()
    {
        // Wrong codes per user are off here, so only the per-address limit can answer 429.
        await using var server = await StartAsync(
            ("RateLimits:DevicePageSubmissionsPerIp:PermitLimit", "3"), ("RateLimits:WrongUserCodesPerUser:PermitLimit", "0"));
        using var browser = new Browser(server);
        var page = await OpenAsync(browser);
        for (var i = 0; i < 3; i++) Assert.Equal(400, (await EnterAsync(browser, page, "BCDF-GHJ" + "KLM"[i])).Status);

        var flood = await EnterAsync(browser, page, "BCDF-GHJN");

        Assert.Equal(429, flood.Status);
        Assert.Contains("Too many requests. Try again in", flood.Html);
        Assert.InRange(SignInThrottleTests.RetryAfter(flood), 1, 60);
        // Showing the page is not limited.
        Assert.Equal(200, (await browser.GetAsync("/device")).Status);
    }

    [Fact]
    public async Task Registrations_from_one_address_are_refused_with_429_after_the_limit()
    {
        await using var server = await StartAsync(("Users:SelfRegistration", "true"), ("RateLimits:RegistrationsPerIp:PermitLimit", "2"));
        for (var i = 0; i < 2; i++) Assert.Equal(302, (await RegisterAsync(server, "zoe-" + i)).Status);

        var flood = await RegisterAsync(server, "zoe-2");

        Assert.Equal(429, flood.Status);
        Assert.Contains("Too many requests. Try again in", flood.Html);
        Assert.InRange(SignInThrottleTests.RetryAfter(flood), 1, 3600);
        using var browser = new Browser(server);
        Assert.Equal(200, (await browser.GetAsync("/account/register")).Status);
    }

    [Fact]
    public async Task The_token_and_introspection_endpoints_are_not_limited_by_default()
    {
        await using var server = await StartAsync();
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);

        var tokens = new List<ProtocolResponse>();
        for (var i = 0; i < 100; i++) tokens.Add(await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message"));
        var introspections = new List<ProtocolResponse>();
        for (var i = 0; i < 100; i++) introspections.Add(await protocol.IntrospectAsync(Service, ServiceSecret, tokens[0].AccessToken));

        Assert.All(tokens, t => Assert.Equal(200, t.Status));
        Assert.All(introspections, t => Assert.Equal(200, t.Status));
    }

    [Fact]
    public async Task A_configured_per_client_limit_refuses_that_client_and_no_other()
    {
        await using var server = await StartAsync(
            ("RateLimits:TokenRequestsPerClient:PermitLimit", "3"), ("RateLimits:TokenRequestsPerClient:Window", "00:01:00"),
            ("RateLimits:IntrospectionRequestsPerClient:PermitLimit", "3"), ("RateLimits:IntrospectionRequestsPerClient:Window", "00:01:00"));
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);
        var token = await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message");
        for (var i = 0; i < 2; i++) Assert.Equal(200, (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).Status);
        for (var i = 0; i < 3; i++) Assert.Equal(200, (await protocol.IntrospectAsync(Service, ServiceSecret, token.AccessToken)).Status);

        var tokenFlood = await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message");
        var introspectionFlood = await protocol.IntrospectAsync(Service, ServiceSecret, token.AccessToken);

        AssertProtocolTooManyRequests(tokenFlood, maxSeconds: 60);
        AssertProtocolTooManyRequests(introspectionFlood, maxSeconds: 60);
        Assert.Equal(200, (await protocol.ClientCredentialsAsync(Other, OtherSecret, "message")).Status);
        // client_secret_post names the client in the form: the same partition as HTTP Basic.
        var posted = await protocol.PostAsync("/connect/token", null,
            ("grant_type", "client_credentials"), ("client_id", Service), ("client_secret", ServiceSecret), ("scope", "message"));
        Assert.Equal(429, posted.Status);
    }

    private static void AssertProtocolTooManyRequests(ProtocolResponse response, int maxSeconds)
    {
        Assert.Equal(429, response.Status);
        Assert.Equal("invalid_request", response.Error);
        var seconds = (int)(response.Http.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0);
        Assert.InRange(seconds, 1, maxSeconds);
        Assert.Equal($"too many requests; retry after {seconds} seconds", response.ErrorDescription);
        Assert.True(response.Http.Headers.CacheControl?.NoStore);
    }

    private static async Task<Browser.Page> RegisterAsync(TesseraServer server, string username)
    {
        using var browser = new Browser(server);
        var form = await browser.GetAsync("/account/register");
        return await browser.SubmitAsync(form, "/account/register", [("username", username), ("password", "Zoe-registers-1")]);
    }
}

public sealed class RequestRateLimitTests_Sqlite() : RequestRateLimitTests(DatabaseKind.Sqlite);

public sealed class RequestRateLimitTests_Postgres() : RequestRateLimitTests(DatabaseKind.Postgres);
