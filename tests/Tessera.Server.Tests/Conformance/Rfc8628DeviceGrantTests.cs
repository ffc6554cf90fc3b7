using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.DeviceFlow;

namespace Tessera.Server.Tests.Conformance;

/// <summary>RFC 8628: the device authorization endpoint, the device page, and the device code grant.</summary>
public abstract class Rfc8628DeviceGrantTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task The_device_gets_a_device_code_a_readable_user_code_and_where_to_enter_it()
    {
        var response = await AuthorizeAsync(Protocol, "openid message");

        Assert.Equal(200, response.Status);
        Assert.Equal("no-store", response.Http.Headers.CacheControl?.ToString());
        Assert.Matches("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$", UserCode(response));
        Assert.True(DeviceCode(response).Length >= 43);
        Assert.Equal(Server.Issuer + "/device", (string?)response.Json["verification_uri"]);
        Assert.Equal(Server.Issuer + "/device?user_code=" + UserCode(response), (string?)response.Json["verification_uri_complete"]);
        Assert.Equal(600, (int?)response.Json["expires_in"]);
        Assert.Equal(5, (int?)response.Json["interval"]);
    }

    [Fact]
    public async Task Discovery_advertises_the_device_authorization_endpoint_and_grant()
    {
        var json = JsonNode.Parse(await Http.GetStringAsync("/.well-known/openid-configuration"))!.AsObject();

        Assert.Equal(Server.Issuer + "/connect/device", (string?)json["device_authorization_endpoint"]);
        Assert.Contains(GrantType, json["grant_types_supported"]!.AsArray().Select(g => (string?)g));
    }

    [Theory]
    [InlineData("openid email", "invalid_scope", "the client may not request scope 'email'", "a scope the client is not registered for")]
    [InlineData("", "invalid_scope", "scope is required", "no scope at all")]
    public async Task A_device_request_with_bad_scopes_is_refused(string scope, string error, string description, string reason)
    {
        var response = await AuthorizeAsync(Protocol, scope);

        Assert.True(response.Status == 400, reason);
        Assert.Equal(error, response.Error);
        Assert.Equal(description, response.ErrorDescription);
    }

    [Fact]
    public async Task A_client_not_registered_for_the_device_grant_is_refused_at_the_device_endpoint()
    {
        var response = await Protocol.PostAsync("/connect/device", ProtocolClient.Basic(PeopleImport.Web, PeopleImport.WebSecret), ("scope", "openid"));

        Assert.Equal("unauthorized_client", response.Error);
    }

    [Fact]
    public async Task Before_the_user_decides_the_device_is_told_authorization_pending()
    {
        var device = await AuthorizeAsync(Protocol, "openid");

        var poll = await PollAsync(Protocol, DeviceCode(device));

        Assert.Equal(400, poll.Status);
        Assert.Equal("authorization_pending", poll.Error);
    }

    [Fact]
    public async Task After_the_user_allows_it_the_device_gets_its_tokens()
    {
        var device = await AuthorizeAsync(Protocol, "openid profile offline_access message");
        var done = await UserDecidesAsync(Server, UserCode(device), "allow");
        Assert.Contains("the device is connected", done.Html);

        var tokens = await PollAsync(Protocol, DeviceCode(device));

        Assert.Equal(200, tokens.Status);
        Assert.Equal("openid profile offline_access message", (string?)tokens.Json["scope"]);
        Assert.Equal(PeopleImport.Cli, (string?)Jwt.Payload(tokens.AccessToken)["client_id"]);
        Assert.Equal("Alice", (string?)Jwt.Payload((string)tokens.Json["id_token"]!)["name"]);
        var refreshed = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "refresh_token"), ("client_id", PeopleImport.Cli), ("refresh_token", (string)tokens.Json["refresh_token"]!));
        Assert.Equal(200, refreshed.Status);
    }

    [Fact]
    public async Task After_the_user_denies_it_the_device_gets_access_denied()
    {
        var device = await AuthorizeAsync(Protocol, "openid");
        var done = await UserDecidesAsync(Server, UserCode(device), "deny");
        Assert.Contains("not allowed access", done.Html);

        var poll = await PollAsync(Protocol, DeviceCode(device));

        Assert.Equal("access_denied", poll.Error);
    }

    [Fact]
    public async Task An_expired_device_code_is_answered_expired_token_and_its_user_code_no_longer_works()
    {
        await using var quick = await TesseraServer.StartAsync(Server.Provider == "postgres" ? DatabaseKind.Postgres : DatabaseKind.Sqlite,
            PeopleImport.Create(), new Dictionary<string, string?> { ["Tessera:DeviceFlow:CodeLifetime"] = "00:00:01" });
        using var http = quick.CreateClient();
        var protocol = new ProtocolClient(http);
        var device = await AuthorizeAsync(protocol, "openid");
        await Task.Delay(TimeSpan.FromSeconds(2.1));

        var poll = await PollAsync(protocol, DeviceCode(device));

        Assert.Equal("expired_token", poll.Error);
        using var browser = new Browser(quick);
        var entered = await EnterAsync(browser, await OpenAsync(browser), UserCode(device));
        Assert.Equal(400, entered.Status);
        Assert.Contains("not valid, or it has expired", entered.Html);
    }

    [Fact]
    public async Task The_complete_verification_uri_leads_through_sign_in_to_the_page_with_the_code_filled_in()
    {
        var device = await AuthorizeAsync(Protocol, "openid");
        using var browser = new Browser(Server);

        var first = await browser.GetAsync("/device?user_code=" + UserCode(device));
        var page = await OpenAsync(browser, "/device?user_code=" + UserCode(device));

        Assert.Equal(302, first.Status);
        Assert.StartsWith("/account/sign-in", first.Location);
        Assert.Equal(200, page.Status);
        Assert.Equal(UserCode(device), page.Field("user_code"));
        Assert.Matches(new Regex("<input[^>]*name=\"user_code\""), page.Html);
        Assert.Contains("<button type=\"submit\">", page.Html);
        Assert.Equal("DENY", page.Response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task The_user_may_type_the_code_in_lower_case_without_the_dash()
    {
        var device = await AuthorizeAsync(Protocol, "openid");
        using var browser = new Browser(Server);

        var confirmation = await EnterAsync(browser, await OpenAsync(browser), UserCode(device).Replace("-", "").ToLowerInvariant());

        Assert.Equal(200, confirmation.Status);
        Assert.Contains("Command-line tool", confirmation.Html);
        Assert.Contains("name=\"decision\" value=\"allow\"", confirmation.Html);
        Assert.Contains("name=\"decision\" value=\"deny\"", confirmation.Html);
    }

    [Fact]
    public async Task A_poll_without_a_device_code_is_invalid_request()
    {
        var poll = await Protocol.PostAsync("/connect/token", null, ("grant_type", GrantType), ("client_id", PeopleImport.Cli));

        Assert.Equal("invalid_request", poll.Error);
        Assert.Equal("device_code is required", poll.ErrorDescription);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class Rfc8628DeviceGrantTests_Sqlite(SqlitePeopleFixture f) : Rfc8628DeviceGrantTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class Rfc8628DeviceGrantTests_Postgres(PostgresPeopleFixture f) : Rfc8628DeviceGrantTests(f.Server);
