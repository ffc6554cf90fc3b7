using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Conformance;

/// <summary>RFC 6749 §4.1.1–§4.1.2 and OIDC Core §3.1.2: the authorization endpoint, sign-in and consent.</summary>
public abstract class Rfc6749AuthorizationEndpointTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task Sign_in_and_consent_end_in_a_redirect_with_a_code_and_the_state()
    {
        using var browser = new Browser(Server);

        var callback = await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid profile message", NewPkce().Challenge));

        Assert.StartsWith(PeopleImport.WebRedirect + "?", callback.Location);
        var query = Callback(callback);
        Assert.Equal("st-123", query["state"]);
        Assert.Equal(Server.Issuer, query["iss"]);
        Assert.True(query["code"].Length >= 43);
    }

    [Fact]
    public async Task The_consent_page_lists_the_client_and_each_scope_and_is_asked_again_when_scopes_grow()
    {
        using var browser = new Browser(Server);
        await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null));

        var same = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null)));
        Assert.StartsWith(PeopleImport.WebRedirect, same.Location);

        var more = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid email", null)));
        Assert.StartsWith("/consent", more.RequestPath);
        Assert.Contains("The Web App", more.Html);
        Assert.Contains("<code>email</code>", more.Html);
        Assert.Contains("<button type=\"submit\" name=\"decision\" value=\"allow\">", more.Html);
        Assert.Contains("<button type=\"submit\" name=\"decision\" value=\"deny\">", more.Html);
        Assert.Equal("DENY", more.Response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Theory]
    [InlineData("request", "eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9.", "invalid_request_object")]
    [InlineData("request_uri", "https://attacker.example/request.jwt", "request_uri_not_supported")]
    public async Task An_unsigned_request_object_or_a_request_uri_elsewhere_is_refused_not_ignored(string parameter, string value, string error)
    {
        using var browser = new Browser(Server);

        // OIDC Core §6: a server that ignored these would act on parameters other than those the client meant; one that
        // read an unsigned object (RFC 9101 §10.2) or fetched any URL would act on parameters nobody vouched for.
        var response = await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", NewPkce().Challenge, (parameter, value)));

        Assert.StartsWith(PeopleImport.WebRedirect + "?", response.Location);
        var query = Callback(response);
        Assert.Equal(error, query["error"]);
        Assert.Equal("st-123", query["state"]);
    }

    [Fact]
    public async Task An_error_description_at_the_redirect_uri_never_echoes_a_long_input_whole()
    {
        using var browser = new Browser(Server);
        var scope = "openid " + new string('y', 6000);

        var response = await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, scope, NewPkce().Challenge));

        Assert.StartsWith(PeopleImport.WebRedirect + "?", response.Location);
        var query = Callback(response);
        Assert.Equal("invalid_scope", query["error"]);
        Assert.InRange(query["error_description"].Length, 1, 300);
    }

    [Fact]
    public async Task A_form_post_is_sent_on_as_the_same_request_by_get_so_the_session_cookie_comes_along()
    {
        using var browser = new Browser(Server);
        await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", NewPkce().Challenge));
        var challenge = NewPkce().Challenge;
        var parameters = new Dictionary<string, string>
        {
            ["response_type"] = "code", ["client_id"] = PeopleImport.Web, ["redirect_uri"] = PeopleImport.WebRedirect,
            ["scope"] = "openid", ["state"] = "st post+&=", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        };

        // OIDC Core §3.1.2.1: the authorization request as an application/x-www-form-urlencoded POST.
        var posted = await browser.Http.PostAsync("/connect/authorize", new FormUrlEncodedContent(parameters));

        Assert.Equal(303, (int)posted.StatusCode);
        var location = posted.Headers.Location!.OriginalString;
        Assert.StartsWith("/connect/authorize?", location);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(Server.BaseAddress, location).Query);
        Assert.Equal(parameters, query.ToDictionary(p => p.Key, p => p.Value.ToString()));
        var callback = Callback(await browser.GetAsync(location));
        Assert.Equal("st post+&=", callback["state"]);
        Assert.True(callback.ContainsKey("code"));
    }

    [Fact]
    public async Task A_form_post_with_a_repeated_parameter_ends_on_the_error_page()
    {
        using var browser = new Browser(Server);
        var fields = new[]
        {
            KeyValuePair.Create("response_type", "code"), KeyValuePair.Create("client_id", PeopleImport.Web),
            KeyValuePair.Create("redirect_uri", PeopleImport.WebRedirect), KeyValuePair.Create("redirect_uri", "https://attacker.example/cb"),
            KeyValuePair.Create("scope", "openid"), KeyValuePair.Create("code_challenge", NewPkce().Challenge), KeyValuePair.Create("code_challenge_method", "S256"),
        };

        var posted = await browser.Http.PostAsync("/connect/authorize", new FormUrlEncodedContent(fields));

        Assert.Equal(302, (int)posted.StatusCode);
        Assert.StartsWith("/error?", posted.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Denying_consent_sends_access_denied_and_the_state_to_the_client()
    {
        using var browser = new Browser(Server);

        var callback = await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid ledger", null, ("prompt", "consent")), "deny");

        var query = Callback(callback);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("st-123", query["state"]);
    }

    [Fact]
    public async Task A_consent_post_without_the_anti_forgery_token_is_refused()
    {
        using var browser = new Browser(Server);
        var page = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid email message", null, ("prompt", "consent"))));
        page = await browser.FollowAsync(await browser.SubmitAsync(page, page.RequestPath, [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", page.Field("returnUrl")!)]));
        Assert.StartsWith("/consent", page.RequestPath);

        var forged = await browser.SubmitAsync(page, "/consent", [("returnUrl", page.Field("returnUrl")!), ("decision", "allow")], withAntiforgery: false);

        Assert.Equal(400, forged.Status);
        Assert.Null(forged.Location);
    }

    [Fact]
    public async Task First_party_clients_skip_consent()
    {
        using var browser = new Browser(Server);

        var callback = await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.FirstParty, PeopleImport.FirstPartyRedirect, "openid email", NewPkce().Challenge), "deny");

        Assert.Contains("code", Callback(callback).Keys);
    }

    [Theory]
    [InlineData("https://evil.example/callback", "an unregistered URI")]
    [InlineData("http://127.0.0.1:4412/callback/", "a trailing slash is a different URI (exact match)")]
    [InlineData("http://127.0.0.1:4412/callback?x=1", "an added query is a different URI (exact match)")]
    public async Task A_redirect_uri_mismatch_is_shown_on_the_error_page_and_never_redirected(string redirectUri, string reason)
    {
        using var browser = new Browser(Server);

        var response = await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, redirectUri, "openid", null));

        Assert.True(response.Location?.StartsWith("/error?id=", StringComparison.Ordinal) == true, reason);
        var page = await browser.FollowAsync(response);
        Assert.Equal(400, page.Status);
        Assert.Contains("redirect_uri is not registered for this client", page.Html);
    }

    [Fact]
    public async Task An_unknown_client_is_shown_on_the_error_page()
    {
        using var browser = new Browser(Server);

        var page = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl("nobody", PeopleImport.WebRedirect, "openid", null)));

        Assert.Equal(400, page.Status);
        Assert.Contains("the client is not registered", page.Html);
    }

    [Fact]
    public async Task Prompt_none_without_a_session_sends_login_required_to_the_redirect_uri()
    {
        using var browser = new Browser(Server);

        var response = await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null, ("prompt", "none")));

        var query = Callback(response);
        Assert.StartsWith(PeopleImport.WebRedirect, response.Location);
        Assert.Equal("login_required", query["error"]);
        Assert.Equal("st-123", query["state"]);
    }

    [Fact]
    public async Task Prompt_none_without_consent_sends_consent_required()
    {
        using var browser = new Browser(Server);
        await Security.SignInTests.SignInAsync(browser, PeopleImport.Alice, PeopleImport.AlicePassword);

        var response = await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid profile email message ledger", null, ("prompt", "none"), ("nonce", "n")));

        Assert.Equal("consent_required", Callback(response)["error"]);
    }

    [Fact]
    public async Task Login_hint_fills_in_the_username()
    {
        using var browser = new Browser(Server);

        var page = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null, ("login_hint", "alice"))));

        Assert.Contains("value=\"alice\"", page.Html);
    }

    [Fact]
    public async Task An_unsupported_response_type_is_sent_back_to_the_client()
    {
        using var browser = new Browser(Server);

        var response = await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null, ("response_type", "token")));

        Assert.Equal("unsupported_response_type", Callback(response)["error"]);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class Rfc6749AuthorizationEndpointTests_Sqlite(SqlitePeopleFixture f) : Rfc6749AuthorizationEndpointTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class Rfc6749AuthorizationEndpointTests_Postgres(PostgresPeopleFixture f) : Rfc6749AuthorizationEndpointTests(f.Server);
