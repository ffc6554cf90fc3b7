using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using ProtocolResponse = Tessera.Testing.ProtocolResponse;

namespace Tessera.Server.Tests.Par;

/// <summary>
/// RFC 9126: a client pushes its authorization request (Duende.IdentityModel's PushAuthorizationAsync) and sends the user
/// with the request_uri alone; the request_uri is the client's, short-lived and used once, and only the pushed
/// parameters count. Every refusal is attacked here.
/// </summary>
public abstract class PushedAuthorizationRequestTests(TesseraServer server) : ServerTest(server)
{
    private const string RequestUriPrefix = "urn:ietf:params:oauth:request_uri:";

    [Fact]
    public async Task A_pushed_request_gives_a_code_by_reference_and_only_the_pushed_parameters_count()
    {
        var pushed = await PushAsync(scope: "openid message");
        Assert.StartsWith(RequestUriPrefix, pushed.RequestUri, StringComparison.Ordinal);
        Assert.Equal(60, pushed.ExpiresIn);
        using var browser = new Browser(Server);

        // RFC 9126 §4: a scope beside request_uri is not the request's; the pushed one is.
        var callback = Callback(await SignInAndApproveAsync(browser, ByReference(PeopleImport.Web, pushed.RequestUri!, ("scope", "openid ledger"))));
        var tokens = await RedeemAsync(callback["code"]);

        Assert.Equal("st-par", callback["state"]);
        Assert.Equal(200, tokens.Status);
        Assert.Equal("openid message", (string?)tokens.Json["scope"]);
    }

    [Fact]
    public async Task A_request_uri_is_used_once()
    {
        var pushed = await PushAsync();
        using var browser = new Browser(Server);
        Callback(await SignInAndApproveAsync(browser, ByReference(PeopleImport.Web, pushed.RequestUri!)));

        var again = await browser.FollowAsync(await browser.GetAsync(ByReference(PeopleImport.Web, pushed.RequestUri!)));

        Assert.Equal(400, again.Status);
        Assert.Contains("the request_uri is unknown, expired, already used or another client&#x27;s", again.Html);
    }

    [Fact]
    public async Task Another_clients_request_uri_is_refused()
    {
        var pushed = await PushAsync();
        using var browser = new Browser(Server);

        var page = await browser.FollowAsync(await browser.GetAsync(ByReference(PeopleImport.Spa, pushed.RequestUri!)));

        Assert.Equal(400, page.Status);
        Assert.Contains("invalid_request_uri", page.Html);
    }

    [Theory]
    [InlineData("login")]
    [InlineData("none")]
    public async Task A_prompt_beside_the_request_uri_cannot_add_what_the_pushed_request_did_not_ask(string added)
    {
        // Only this server's pages narrow prompt on the way back; a link that adds login or none changes the request.
        var pushed = await PushAsync();
        using var browser = new Browser(Server);

        var page = await browser.FollowAsync(await browser.GetAsync(ByReference(PeopleImport.Web, pushed.RequestUri!, ("prompt", added))));

        Assert.Equal(400, page.Status);
        Assert.Contains("prompt beside request_uri or request may only leave out values of the request", page.Html);
    }

    [Fact]
    public async Task A_made_up_request_uri_is_refused()
    {
        using var browser = new Browser(Server);

        var page = await browser.FollowAsync(await browser.GetAsync(ByReference(PeopleImport.Web, RequestUriPrefix + "guessed-reference-0123456789abcdefghijklmn")));

        Assert.Equal(400, page.Status);
        Assert.Contains("invalid_request_uri", page.Html);
    }

    [Fact]
    public async Task An_expired_request_uri_is_refused()
    {
        await using var shortLived = await TesseraServer.StartAsync(Server.Provider == "postgres" ? DatabaseKind.Postgres : DatabaseKind.Sqlite,
            PeopleImport.Create(), new Dictionary<string, string?> { ["Tessera:Par:Lifetime"] = "00:00:01" });
        using var http = shortLived.CreateClient();
        var pushed = await PushAsync(http, shortLived.Issuer);
        Assert.Equal(1, pushed.ExpiresIn);
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        using var browser = new Browser(shortLived);

        var page = await browser.FollowAsync(await browser.GetAsync(ByReference(PeopleImport.Web, pushed.RequestUri!)));

        Assert.Equal(400, page.Status);
        Assert.Contains("invalid_request_uri", page.Html);
    }

    [Fact]
    public async Task A_pushed_request_is_checked_like_one_at_the_authorization_endpoint_and_answered_in_json()
    {
        var badRedirect = await PushAsync(redirectUri: "https://evil.example/callback");
        var withRequestUri = await Protocol.PostAsync("/connect/par", ProtocolClient.Basic(PeopleImport.Web, PeopleImport.WebSecret),
            ("response_type", "code"), ("redirect_uri", PeopleImport.WebRedirect), ("scope", "openid"), ("request_uri", RequestUriPrefix + "x"));
        var unauthenticated = await Protocol.PostAsync("/connect/par", null,
            ("client_id", PeopleImport.Web), ("response_type", "code"), ("redirect_uri", PeopleImport.WebRedirect), ("scope", "openid"));

        Assert.True(badRedirect.IsError);
        Assert.Equal("invalid_request", badRedirect.Error);
        Assert.Equal(400, withRequestUri.Status);
        Assert.Equal("request_uri is not allowed in a pushed authorization request", withRequestUri.ErrorDescription);
        Assert.Equal(401, unauthenticated.Status);
        Assert.Equal("invalid_client", unauthenticated.Error);
    }

    [Fact]
    public async Task A_client_that_must_push_is_refused_a_request_by_value_and_served_by_reference()
    {
        using var browser = new Browser(Server);
        var byValue = await browser.GetAsync(AuthorizeUrl(PeopleImport.ParOnly, PeopleImport.ParOnlyRedirect, "openid", NewPkce().Challenge));
        var refused = QueryHelpers.ParseQuery(new Uri(byValue.Location!).Query);

        var pushed = await Http.PushAuthorizationAsync(new PushedAuthorizationRequest
        {
            Address = Server.Issuer + "/connect/par", ClientId = PeopleImport.ParOnly, ClientSecret = PeopleImport.ParOnlySecret,
            ResponseType = "code", RedirectUri = PeopleImport.ParOnlyRedirect, Scope = "openid", CodeChallenge = NewPkce().Challenge,
            CodeChallengeMethod = "S256",
        });
        var served = await SignInAndApproveAsync(browser, ByReference(PeopleImport.ParOnly, pushed.RequestUri!));

        Assert.Equal("invalid_request", refused["error"].ToString());
        Assert.StartsWith(PeopleImport.ParOnlyRedirect + "?code=", served.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_names_the_endpoint()
    {
        var discovery = await Http.GetDiscoveryDocumentAsync(Server.Issuer);

        Assert.Equal(Server.Issuer + "/connect/par", discovery.PushedAuthorizationRequestEndpoint);
        Assert.False(discovery.RequirePushedAuthorizationRequests);
    }

    [Fact]
    public async Task The_pushed_requests_ui_locales_choose_the_sign_in_pages_language_and_one_sent_beside_it_does_not()
    {
        var pushed = await Http.PushAuthorizationAsync(new PushedAuthorizationRequest
        {
            Address = Server.Issuer + "/connect/par", ClientId = PeopleImport.Web, ClientSecret = PeopleImport.WebSecret,
            ResponseType = "code", RedirectUri = PeopleImport.WebRedirect, Scope = "openid", State = "st-par",
            Parameters = new Duende.IdentityModel.Client.Parameters([new("ui_locales", "zh-CN")]),
        });
        var plain = await PushAsync();
        using var browser = new Browser(Server);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var chinese = await browser.FollowAsync(await browser.GetAsync(ByReference(PeopleImport.Web, pushed.RequestUri!)));
        // RFC 9126 §4: a value sent beside request_uri is not the request's, the language hint neither.
        var english = await browser.FollowAsync(await browser.GetAsync(ByReference(PeopleImport.Web, plain.RequestUri!, ("ui_locales", "zh-CN"))));

        Assert.StartsWith("/account/sign-in", chinese.RequestPath, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"zh-CN\"", chinese.Html, StringComparison.Ordinal);
        Assert.StartsWith("/account/sign-in", english.RequestPath, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\"", english.Html, StringComparison.Ordinal);
    }

    private Task<PushedAuthorizationResponse> PushAsync(string scope = "openid", string redirectUri = PeopleImport.WebRedirect) =>
        PushAsync(Http, Server.Issuer, scope, redirectUri);

    private static Task<PushedAuthorizationResponse> PushAsync(HttpClient http, string issuer, string scope = "openid", string redirectUri = PeopleImport.WebRedirect) =>
        http.PushAuthorizationAsync(new PushedAuthorizationRequest
        {
            Address = issuer + "/connect/par", ClientId = PeopleImport.Web, ClientSecret = PeopleImport.WebSecret,
            ResponseType = "code", RedirectUri = redirectUri, Scope = scope, State = "st-par",
        });

    private static string ByReference(string clientId, string requestUri, params (string Name, string Value)[] extra)
    {
        var query = new Dictionary<string, string?> { ["client_id"] = clientId, ["request_uri"] = requestUri };
        foreach (var (name, value) in extra) query[name] = value;
        return QueryHelpers.AddQueryString("/connect/authorize", query);
    }

    private Task<ProtocolResponse> RedeemAsync(string code) =>
        Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class PushedAuthorizationRequestTests_Sqlite(SqlitePeopleFixture f) : PushedAuthorizationRequestTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class PushedAuthorizationRequestTests_Postgres(PostgresPeopleFixture f) : PushedAuthorizationRequestTests(f.Server);
