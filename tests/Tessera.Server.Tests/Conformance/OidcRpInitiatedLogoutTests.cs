using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Catalog;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Conformance;

/// <summary>OIDC RP-Initiated Logout 1.0: id_token_hint, post_logout_redirect_uri, state; the session cookie ends.</summary>
public abstract class OidcRpInitiatedLogoutTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task A_logout_with_a_valid_hint_ends_the_session_and_returns_to_the_registered_uri_with_state()
    {
        using var browser = new Browser(Server);
        var idToken = await IdTokenAsync(browser, Protocol);

        var logout = await browser.GetAsync(EndSessionUrl(idToken, PeopleImport.WebPostLogoutRedirect, "bye-1"));

        Assert.Equal(302, logout.Status);
        Assert.Equal(PeopleImport.WebPostLogoutRedirect + "?state=bye-1", logout.Location);
        Assert.Contains("not signed in", (await browser.GetAsync("/account")).Html);
        var silent = await browser.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null, ("prompt", "none")));
        Assert.Equal("login_required", Callback(silent)["error"]);
    }

    [Fact]
    public async Task Without_post_logout_redirect_uri_the_user_sees_the_signed_out_page()
    {
        using var browser = new Browser(Server);
        var idToken = await IdTokenAsync(browser, Protocol);

        var page = await browser.FollowAsync(await browser.GetAsync(EndSessionUrl(idToken, null, null)));

        Assert.Equal(200, page.Status);
        Assert.Contains("You are signed out.", page.Html);
    }

    [Fact]
    public async Task An_expired_id_token_hint_is_still_accepted()
    {
        using var browser = new Browser(Server);
        var payload = Jwt.Payload(await IdTokenAsync(browser, Protocol));
        // Ten minutes cannot pass in a test: an ID token like Tessera's own, signed with its current key, expired an hour ago.
        var key = Server.GetService<SnapshotCache>().Current.Keys.SigningKey("RS256", DateTimeOffset.UtcNow.ToUnixTimeSeconds())!;
        var expired = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["iss"] = Server.Issuer, ["sub"] = (string)payload["sub"]!, ["aud"] = PeopleImport.Web },
            IssuedAt = DateTime.UtcNow.AddHours(-2), NotBefore = DateTime.UtcNow.AddHours(-2), Expires = DateTime.UtcNow.AddHours(-1),
            SigningCredentials = key.Credentials, AdditionalHeaderClaims = new Dictionary<string, object> { ["typ"] = "JWT" },
        });

        var logout = await browser.GetAsync(EndSessionUrl(expired, PeopleImport.WebPostLogoutRedirect, null));

        Assert.Equal(PeopleImport.WebPostLogoutRedirect, logout.Location);
        Assert.Contains("not signed in", (await browser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task A_post_is_sent_on_as_the_same_request_by_get_so_the_session_cookie_comes_along()
    {
        using var browser = new Browser(Server);
        var idToken = await IdTokenAsync(browser, Protocol);

        var posted = await browser.Http.PostAsync("/connect/endsession", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id_token_hint"] = idToken, ["post_logout_redirect_uri"] = PeopleImport.WebPostLogoutRedirect, ["state"] = "s",
        }));
        var followed = await browser.GetAsync(posted.Headers.Location!.OriginalString);

        Assert.Equal(303, (int)posted.StatusCode);
        Assert.Equal(PeopleImport.WebPostLogoutRedirect + "?state=s", followed.Location);
        Assert.Contains("not signed in", (await browser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task A_client_id_that_is_not_the_hints_audience_is_refused_on_the_error_page()
    {
        using var browser = new Browser(Server);
        var idToken = await IdTokenAsync(browser, Protocol);

        var logout = await browser.GetAsync(EndSessionUrl(idToken, PeopleImport.WebPostLogoutRedirect, null, ("client_id", PeopleImport.Spa)));

        Assert.StartsWith("/error?id=", logout.Location);
        Assert.Contains("client_id does not match the audience of id_token_hint", (await browser.FollowAsync(logout)).Html);
        Assert.Contains("signed in as", (await browser.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task Discovery_advertises_the_end_session_endpoint()
    {
        var json = JsonNode.Parse(await Http.GetStringAsync("/.well-known/openid-configuration"))!.AsObject();

        Assert.Equal(Server.Issuer + "/connect/endsession", (string?)json["end_session_endpoint"]);
    }

    public static string EndSessionUrl(string? idTokenHint, string? postLogoutRedirectUri, string? state, params (string Name, string Value)[] extra)
    {
        var query = new Dictionary<string, string?>();
        if (idTokenHint is not null) query["id_token_hint"] = idTokenHint;
        if (postLogoutRedirectUri is not null) query["post_logout_redirect_uri"] = postLogoutRedirectUri;
        if (state is not null) query["state"] = state;
        foreach (var (name, value) in extra) query[name] = value;
        return QueryHelpers.AddQueryString("/connect/endsession", query);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class OidcRpInitiatedLogoutTests_Sqlite(SqlitePeopleFixture f) : OidcRpInitiatedLogoutTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class OidcRpInitiatedLogoutTests_Postgres(PostgresPeopleFixture f) : OidcRpInitiatedLogoutTests(f.Server);
