using System.Net;
using System.Text.Json.Nodes;
using Tessera.Testing;
using static Tessera.Browser.Tests.ExternalIdentities.ExternalPages;
using static Tessera.Browser.Tests.ExternalIdentities.UpstreamFixture;

namespace Tessera.Browser.Tests.ExternalIdentities;

/// <summary>
/// The attacks on the external sign-in's callback (a forged or replayed state) and on the provider-token API (no token,
/// a forged token, a token without the scope), over plain HTTP against the same two servers.
/// </summary>
[Collection(UpstreamCollection.Name)]
public sealed class ExternalSignInAttacksAndTokenApiTests(UpstreamFixture fixture)
{
    [Fact]
    public async Task A_callback_with_a_forged_state_ends_on_the_error_page_and_creates_nobody()
    {
        var usersBefore = await fixture.DownstreamUserCountAsync();
        using var http = Browserless();
        using var response = await http.GetAsync("signin-upstream?code=stolen-code&state=forged-state");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var error = await ErrorPageAsync(http, response);
        Assert.Contains("could not be matched to a sign-in started in this browser", error);
        Assert.Equal(usersBefore, await fixture.DownstreamUserCountAsync());
    }

    [Fact]
    public async Task A_genuine_state_delivered_to_another_browser_fails_the_correlation_check()
    {
        // RFC 6749 §10.12: the victim's browser gets an attacker's callback (genuine state, but no correlation cookie).
        using var attacker = Browserless();
        var challenge = await StartExternalSignInAsync(attacker, "upstream");
        Assert.StartsWith(fixture.Upstream.Issuer + "/connect/authorize?", challenge.ToString());
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(challenge.Query);
        Assert.Equal(DownstreamClientId, query["client_id"]);
        // ASP.NET Core's OIDC handler pushes its request when the provider offers PAR (RFC 9126), as Tessera does: the
        // browser carries only the request_uri, and the state the attacker holds is the one it pushed.
        var requestUri = query["request_uri"].ToString();
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", requestUri, StringComparison.Ordinal);
        var pushed = await PushedRequests.ParametersAsync(fixture.Upstream, requestUri);
        Assert.Equal("S256", pushed["code_challenge_method"]);
        var state = pushed["state"].ToString();

        using var victim = Browserless();
        using var response = await victim.GetAsync($"signin-upstream?code=attacker-code&state={Uri.EscapeDataString(state)}");
        var error = await ErrorPageAsync(victim, response);
        Assert.Contains("could not be matched to a sign-in started in this browser", error);
    }

    [Fact]
    public async Task Starting_an_external_sign_in_needs_the_anti_forgery_token_and_a_configured_provider()
    {
        using var http = Browserless();
        using var noToken = await http.PostAsync("account/external", new FormUrlEncodedContent(new Dictionary<string, string> { ["provider"] = "upstream" }));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        var unknown = await PostExternalAsync(http, "nowhere");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_token_api_answers_rfc_6750_errors_without_a_token_with_a_bad_token_and_without_the_scope()
    {
        using var http = fixture.Downstream.CreateClient();
        const string path = "api/users/someone/identities/upstream/token";

        using var bare = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, bare.StatusCode);
        Assert.Equal("Bearer realm=\"tessera\"", bare.Headers.WwwAuthenticate.ToString());

        using var forged = await GetWithTokenAsync(http, path, "forged.token.value");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains("error=\"invalid_token\"", forged.Headers.WwwAuthenticate.ToString());

        // An upstream token is not a token of this server, even for the same person.
        var adminToken = await new ProtocolClient(http).ClientCredentialsAsync(AdminOnlyClientId, AppSecret, "tessera:admin");
        using var withoutScope = await GetWithTokenAsync(http, path, adminToken.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, withoutScope.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", withoutScope.Headers.WwwAuthenticate.ToString());
        Assert.Contains("scope=\"tessera:provider-tokens\"", withoutScope.Headers.WwwAuthenticate.ToString());

        var appToken = await new ProtocolClient(http).ClientCredentialsAsync(AppClientId, AppSecret, "tessera:provider-tokens");
        using var unknownUser = await GetWithTokenAsync(http, path, appToken.AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, unknownUser.StatusCode);
        Assert.Equal("not_found", (string?)JsonNode.Parse(await unknownUser.Content.ReadAsStringAsync())!["error"]);
    }

    private HttpClient Browserless() => ExternalPages.Browserless(fixture.Downstream.BaseAddress);

    private static async Task<Uri> StartExternalSignInAsync(HttpClient http, string provider)
    {
        using var response = await PostExternalAsync(http, provider);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }
}
