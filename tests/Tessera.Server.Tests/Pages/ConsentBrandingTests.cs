using System.Net.Http.Headers;
using System.Net.Http.Json;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Server.Tests.Registration;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using ProtocolResponse = Tessera.Testing.ProtocolResponse;

namespace Tessera.Server.Tests.Pages;

/// <summary>
/// Issue 20: the consent page shows the application's logo and name (linked to its home page), the "unverified" badge of
/// a client that registered itself, and the account that is signing in, with "not you?" to sign out and come back to the
/// same request. The logo's origin is allowed by img-src on that page only; the way back never leaves the server.
/// </summary>
public abstract class ConsentBrandingTests(TesseraServer server) : ServerTest(server)
{
    private const string Logo = "https://cdn.agent.example:8443/brand/logo.png?v=2";
    private const string Home = "https://agent.example/about";
    private const string Redirect = "http://127.0.0.1:4471/callback";

    [Fact]
    public async Task The_consent_page_shows_the_logo_the_linked_name_the_unverified_badge_and_the_account()
    {
        var clientId = await RegisterAsync();
        using var browser = new Browser(Server);

        var page = await ConsentPageAsync(browser, clientId);

        Assert.StartsWith("/consent", page.RequestPath, StringComparison.Ordinal);
        Assert.Contains("<img class=\"client-logo\" src=\"https://cdn.agent.example:8443/brand/logo.png?v=2\" alt=\"Branded Agent\" width=\"64\" height=\"64\">", page.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://agent.example/about\" rel=\"noopener noreferrer\"><strong>Branded Agent</strong></a>", page.Html, StringComparison.Ordinal);
        Assert.Contains("class=\"unverified\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("Signed in as <strong>alice</strong>", page.Html, StringComparison.Ordinal);
        Assert.Contains("Not you?", page.Html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"/account/sign-out\">", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_consent_page_allows_the_logos_origin_in_img_src()
    {
        var clientId = await RegisterAsync();
        using var browser = new Browser(Server);
        var (_, challenge) = NewPkce();

        var signIn = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(clientId, Redirect, "openid message", challenge)));
        var consent = await ConsentPageAsync(browser, clientId);

        Assert.StartsWith("/account/sign-in", signIn.RequestPath, StringComparison.Ordinal);
        Assert.Contains("img-src 'self';", Csp(signIn), StringComparison.Ordinal);
        // The origin only: no path, query or userinfo goes into the header.
        Assert.Contains("img-src 'self' https://cdn.agent.example:8443;", Csp(consent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_you_signs_out_and_leads_back_to_sign_in_for_the_same_request()
    {
        var clientId = await RegisterAsync();
        using var browser = new Browser(Server);
        var consent = await ConsentPageAsync(browser, clientId);
        var request = consent.Field("returnUrl")!;

        var signedOut = await browser.SubmitAsync(consent, "/account/sign-out", [("returnUrl", request)]);
        var signIn = await browser.FollowAsync(signedOut);
        var account = await browser.GetAsync("/account");

        Assert.Equal(302, signedOut.Status);
        Assert.StartsWith("/account/sign-in", signIn.RequestPath, StringComparison.Ordinal);
        Assert.Equal(request, signIn.Field("returnUrl"));
        Assert.Contains("You are not signed in.", account.Html, StringComparison.Ordinal);
        // Signing in again continues the very same authorization request, at its consent page.
        var again = await browser.FollowAsync(await browser.SubmitAsync(signIn, signIn.RequestPath,
            [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", request)]));
        Assert.StartsWith("/consent", again.RequestPath, StringComparison.Ordinal);
        Assert.Equal(request, again.Field("returnUrl"));
    }

    [Theory]
    [InlineData("https://evil.example/connect/authorize?client_id=x")]
    [InlineData("//evil.example/connect/authorize?client_id=x")]
    [InlineData("/\\evil.example/connect/authorize?client_id=x")]
    [InlineData("/account/security")]
    public async Task Not_you_is_no_open_redirect(string returnUrl)
    {
        var clientId = await RegisterAsync();
        using var browser = new Browser(Server);
        var consent = await ConsentPageAsync(browser, clientId);

        var signedOut = await browser.SubmitAsync(consent, "/account/sign-out", [("returnUrl", returnUrl)]);

        Assert.Equal(200, signedOut.Status);
        Assert.Null(signedOut.Location);
        Assert.Contains("You are signed out.", signedOut.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_registration_answers_the_logo_and_home_page_from_the_client()
    {
        var registered = await RegisterRawAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/register/" + (string?)registered.Json["client_id"])
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", (string?)registered.Json["registration_access_token"]) },
        };
        var read = await Protocol.SendAsync(request);
        var listed = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Get, "/admin/clients/" + (string?)registered.Json["client_id"]);

        Assert.Equal(Logo, (string?)read.Json["logo_uri"]);
        Assert.Equal(Home, (string?)read.Json["client_uri"]);
        Assert.Equal(Logo, (string?)listed.Json["logoUri"]);
        Assert.Equal(Home, (string?)listed.Json["clientUri"]);
    }

    [Theory]
    [InlineData("http://agent.example/logo.png")]
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("https://agent.example@evil.example/logo.png")]
    [InlineData("https://agent.example/logo.png#top")]
    public async Task Registration_refuses_a_logo_that_is_not_a_plain_https_url(string logo)
    {
        var response = await RegisterRawAsync(logo);

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_client_metadata", (string?)response.Json["error"]);
        Assert.StartsWith("logo_uri ", (string?)response.Json["error_description"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://app.example/logo.png")]
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://user:secret@app.example/logo.png")]
    [InlineData("https://app.example/logo.png#top")]
    [InlineData("https://app.example/too-long-")]
    public async Task The_admin_api_refuses_a_logo_or_home_page_that_is_not_a_plain_https_url(string uri)
    {
        if (uri.EndsWith("too-long-", StringComparison.Ordinal)) uri += new string('a', 2000);
        var clientId = "branded-" + Guid.NewGuid().ToString("N");

        var created = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients", Branded(clientId, logo: uri, home: Home));
        var home = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients", Branded(clientId, logo: Logo, home: uri));
        var missing = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Get, "/admin/clients/" + clientId);

        Assert.Equal(400, created.Status);
        Assert.Contains(created.Json["problems"]!.AsArray(), p => ((string)p!).Contains("].logoUri must ", StringComparison.Ordinal));
        Assert.Equal(400, home.Status);
        Assert.Contains(home.Json["problems"]!.AsArray(), p => ((string)p!).Contains("].clientUri must ", StringComparison.Ordinal));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task The_admin_api_keeps_and_shows_a_clients_logo_and_home_page()
    {
        var clientId = "branded-" + Guid.NewGuid().ToString("N");

        var created = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients", Branded(clientId, Logo, Home));
        var read = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Get, "/admin/clients/" + clientId);

        Assert.Equal(201, created.Status);
        Assert.Equal(Logo, (string?)read.Json["logoUri"]);
        Assert.Equal(Home, (string?)read.Json["clientUri"]);
    }

    private static Dictionary<string, object?> Branded(string clientId, string logo, string home) => new()
    {
        ["clientId"] = clientId, ["displayName"] = "Branded", ["public"] = true, ["grantTypes"] = new[] { "authorization_code" },
        ["redirectUris"] = new[] { Redirect }, ["scopes"] = new[] { "openid" }, ["logoUri"] = logo, ["clientUri"] = home,
    };

    private async Task<string> RegisterAsync()
    {
        var registered = await RegisterRawAsync();
        Assert.Equal(201, registered.Status);
        return (string)registered.Json["client_id"]!;
    }

    private async Task<ProtocolResponse> RegisterRawAsync(string logo = Logo)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/register")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", RegistrationFixture.InitialToken) },
            Content = JsonContent.Create(new Dictionary<string, object?>
            {
                ["client_name"] = "Branded Agent", ["redirect_uris"] = new[] { Redirect }, ["token_endpoint_auth_method"] = "none",
                ["scope"] = "openid message", ["logo_uri"] = logo, ["client_uri"] = Home,
            }),
        };
        return await Protocol.SendAsync(request);
    }

    private static async Task<Browser.Page> ConsentPageAsync(Browser browser, string clientId)
    {
        var (_, challenge) = NewPkce();
        var page = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(clientId, Redirect, "openid message", challenge)));
        if (page.RequestPath.StartsWith("/account/sign-in", StringComparison.Ordinal))
            page = await browser.FollowAsync(await browser.SubmitAsync(page, page.RequestPath,
                [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", page.Field("returnUrl")!)]));
        return page;
    }

    private static string Csp(Browser.Page page) => page.Response.Headers.GetValues("Content-Security-Policy").Single();
}

public sealed class ConsentBrandingTests_Sqlite(SqliteRegistrationFixture f) : ConsentBrandingTests(f.Server), IClassFixture<SqliteRegistrationFixture>;

public sealed class ConsentBrandingTests_Postgres(PostgresRegistrationFixture f) : ConsentBrandingTests(f.Server), IClassFixture<PostgresRegistrationFixture>;
