using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.RelyingParty.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.RelyingParty.Tests.Infrastructure.RelyingPartyFixture;

namespace Tessera.RelyingParty.Tests;

/// <summary>
/// Interoperability: an ASP.NET Core app using Microsoft's own OpenID Connect handler signs its users in through
/// Tessera in a real Chromium, and an API using Microsoft's JwtBearer handler accepts the access token it got.
/// Nothing on the client side is Tessera's code.
/// </summary>
[Collection(RelyingPartyCollection.Name)]
public sealed class RelyingPartySignInTests(RelyingPartyFixture fixture)
{
    [Fact]
    public async Task The_stock_OpenID_Connect_handler_signs_a_user_in_through_Tessera_and_its_saved_access_token_opens_the_API()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var authorizeRequests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        chromium.Page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(fixture.Server.Issuer + "/connect/authorize", StringComparison.Ordinal)) authorizeRequests.Enqueue(request.Url);
        };

        string subject = "", apiBody = "";

        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(new Uri(fixture.App.BaseAddress, "/profile").ToString());
            await SignInAsync(page, SignsIn);
            await Expect(page.Locator("main")).ToContainTextAsync("Third-Party App");
            await page.ClickAsync("button[name=decision][value=allow]");
            await page.WaitForURLAsync(new Uri(fixture.App.BaseAddress, "/profile").ToString(), Chromium.Committed);
            await Expect(page.Locator("#name")).ToHaveTextAsync(NameOf(SignsIn));
            await Expect(page.Locator("#email")).ToHaveTextAsync($"{SignsIn}@example.com");
            subject = await page.InnerTextAsync("#sub");

            await page.GotoAsync(new Uri(fixture.App.BaseAddress, "/call-api").ToString());
            await Expect(page.Locator("#api-status")).ToHaveTextAsync("200");
            apiBody = await page.InnerTextAsync("#api-body");
        });

        // The stock handler pushes its request when discovery offers PAR (RFC 9126), as Tessera's does: the browser
        // carries only client_id and request_uri, and what was pushed is read back from the server that stored it.
        var authorize = QueryHelpers.ParseQuery(new Uri(authorizeRequests.First()).Query);
        Assert.Equal(RelyingPartyApp.ClientId, authorize["client_id"]);
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", authorize["request_uri"].ToString(), StringComparison.Ordinal);
        var pushed = await PushedRequests.ParametersAsync(fixture.Server, authorize["request_uri"].ToString());
        Assert.Equal("code", pushed["response_type"]);
        Assert.Equal("S256", pushed["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(pushed["nonce"]));
        var apiAnswer = JsonNode.Parse(apiBody)!;
        Assert.False(string.IsNullOrEmpty(subject));
        Assert.Equal(subject, (string?)apiAnswer["sub"]);
        Assert.Equal(RelyingPartyApp.ClientId, (string?)apiAnswer["client_id"]);
        Assert.Empty(chromium.ConsoleErrors);
    }

    [Fact]
    public async Task A_user_who_denies_consent_comes_back_to_the_app_signed_out_on_its_access_denied_page()
    {
        await using var chromium = await Chromium.LaunchAsync();

        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(new Uri(fixture.App.BaseAddress, "/profile").ToString());
            await SignInAsync(page, Denies);
            await page.ClickAsync("button[name=decision][value=deny]");
            await page.WaitForURLAsync(url => url.StartsWith(new Uri(fixture.App.BaseAddress, "/denied").ToString(), StringComparison.Ordinal), Chromium.Committed);
            await Expect(page.Locator("#denied")).ToHaveTextAsync("access denied");
        });

        var cookies = await chromium.Page.Context.CookiesAsync([fixture.App.BaseAddress.ToString()]);
        Assert.DoesNotContain(cookies, cookie => cookie.Name == "rp.session");
    }

    [Fact]
    public async Task The_API_answers_401_without_a_token_and_403_to_a_token_without_the_message_scope()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var tessera = new ProtocolClient(fixture.Server.CreateClient());

        var anonymous = await http.GetAsync("/messages");
        var withoutScope = await GetWithTokenAsync(http, (await tessera.ClientCredentialsAsync(ServiceClient, ServiceSecret, "message:write")).AccessToken);
        var withScope = await GetWithTokenAsync(http, (await tessera.ClientCredentialsAsync(ServiceClient, ServiceSecret, "message")).AccessToken);
        var garbage = await GetWithTokenAsync(http, "not.a.token");

        Assert.Equal(401, (int)anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(403, (int)withoutScope.StatusCode);
        Assert.Equal(200, (int)withScope.StatusCode);
        Assert.Equal(401, (int)garbage.StatusCode);
    }

    private static async Task SignInAsync(IPage page, string username)
    {
        await page.FillAsync("input[autocomplete=username]", username);
        await page.FillAsync("input[autocomplete=current-password]", Password);
        await page.ClickAsync("button[type=submit]");
    }

    private static async Task<HttpResponseMessage> GetWithTokenAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/messages");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
