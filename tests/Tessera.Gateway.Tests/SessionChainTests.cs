using System.Net;
using System.Text.Json.Nodes;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Gateway.Authentication;
using Tessera.Gateway.Tests.Infrastructure;

namespace Tessera.Gateway.Tests;

/// <summary>
/// The cookie path: a user signs in at the gateway (/login → Tessera's sign-in and consent in headless Chromium →
/// the gateway's callback), then calls through it with the session cookie only. The cookie carries a handle; the
/// tokens stay in the gateway. The same user's personal access token, made on Tessera's account page, passes as a bearer.
/// </summary>
[Collection(nameof(ChainCollection))]
public sealed class SessionChainTests(ChainFixture chain)
{
    [Fact]
    public async Task A_user_signed_in_at_the_gateway_reaches_service_b_with_the_session_cookie_alone_refreshed_until_logout()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var inbox = new Uri(chain.GatewayAddress, "/messages/inbox").ToString();
        string pageText = "", pat = "";

        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(new Uri(chain.GatewayAddress, "/login?returnUrl=/messages/inbox").ToString());
            await page.FillAsync("input[autocomplete=username]", ChainFixture.User);
            await page.FillAsync("input[autocomplete=current-password]", ChainFixture.Password);
            await page.ClickAsync("button[type=submit]");
            await page.ClickAsync("button[name=decision][value=allow]");
            await Chromium.ArrivedAsync(page, url => url == inbox);
            await Microsoft.Playwright.Assertions.Expect(page.Locator("body")).ToContainTextAsync("\"sub\"");
            pageText = await page.InnerTextAsync("body");

            // Still signed in at Tessera, alice makes herself a personal access token for the ledger on her account page.
            await page.GotoAsync(chain.Server.Issuer + "/account/tokens");
            await page.FillAsync("input[name=name]", "through-the-gateway");
            await page.CheckAsync("input[name=scopes][value=ledger]");
            await page.ClickAsync("button:has-text('Create token')");
            pat = await page.InnerTextAsync("#new-token");
        });

        var body = JsonNode.Parse(pageText)!;
        var user = (string?)body["sub"];
        Assert.False(string.IsNullOrEmpty(user));
        Assert.NotEqual(ChainFixture.Service, user);
        Assert.Equal(user, (string?)body["next"]!["sub"]);
        Assert.Contains("message", ((string?)body["next"]!["scope"])!.Split(' '));
        Assert.Equal(ChainFixture.GatewayClient, (string?)body["next"]!["client_id"]);

        // The cookie is a session handle: no token inside, far smaller than the tokens it stands for.
        var cookie = (await chromium.Page.Context.CookiesAsync([chain.GatewayAddress.ToString()])).Single(c => c.Name == GatewaySchemes.CookieName);
        Assert.True(cookie.HttpOnly);
        Assert.DoesNotContain("eyJ", cookie.Value);
        Assert.True(cookie.Value.Length < 700, $"cookie of {cookie.Value.Length} characters");

        // The same cookie from another HTTP client: a proxied call, the session's identity at service B.
        using var client = chain.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/messages/again");
        request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(user, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["next"]!["sub"]);

        // Her PAT works as a bearer token at the gateway (introspected like any opaque token, then exchanged).
        Assert.StartsWith("tsr_pat_", pat);
        using var withPat = new HttpRequestMessage(HttpMethod.Get, "/ledger/balance");
        withPat.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", pat);
        var patResponse = await client.SendAsync(withPat);
        Assert.Equal(HttpStatusCode.OK, patResponse.StatusCode);
        var patBody = JsonNode.Parse(await patResponse.Content.ReadAsStringAsync())!;
        Assert.Equal(user, (string?)patBody["next"]!["sub"]);
        Assert.Equal("ledger", (string?)patBody["next"]!["scope"]);

        // A route whose scope the session lacks: 403, not a redirect.
        using var write = new HttpRequestMessage(HttpMethod.Get, "/write/note");
        write.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(write)).StatusCode);
        Assert.Empty(chromium.ConsoleErrors);

        // The session's access token (35 s) enters its last 30 s: the next calls refresh it at Tessera (refresh_token
        // grant), then exchange the new one; the caller notices nothing. A page's parallel calls share one refresh:
        // redeeming the rotating refresh token twice would be a replay, revoking the grant and ending the session.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var tokenRequests = chain.GatewayToIssuer["/connect/token"];
        var parallel = await Task.WhenAll(Enumerable.Range(0, 5).Select(async i =>
        {
            using var later = new HttpRequestMessage(HttpMethod.Get, $"/messages/later-{i}");
            later.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
            var answer = await client.SendAsync(later);
            return (answer.StatusCode, Body: await answer.Content.ReadAsStringAsync());
        }));
        Assert.All(parallel, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
        Assert.All(parallel, p => Assert.Equal(user, (string?)JsonNode.Parse(p.Body)!["next"]!["sub"]));
        Assert.Equal(2, chain.GatewayToIssuer["/connect/token"] - tokenRequests);
        using var afterRefresh = new HttpRequestMessage(HttpMethod.Get, "/messages/after-refresh");
        afterRefresh.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(afterRefresh)).StatusCode);

        // CSRF: a foreign page (another site, or a sibling subdomain) makes the browser send a state-changing request
        // with the cookie; the browser says where it comes from, and the gateway refuses. Its own pages pass.
        async Task<HttpStatusCode> PostWithCookieAsync(string path, string header, string value)
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, path);
            post.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
            post.Headers.Add(header, value);
            using var noFollow = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = chain.GatewayAddress };
            return (await noFollow.SendAsync(post)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.Forbidden, await PostWithCookieAsync("/messages/inbox", "Origin", "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostWithCookieAsync("/messages/inbox", "Sec-Fetch-Site", "same-site"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostWithCookieAsync("/logout", "Sec-Fetch-Site", "cross-site"));
        Assert.NotEqual(HttpStatusCode.Forbidden, await PostWithCookieAsync("/messages/inbox", "Sec-Fetch-Site", "same-origin"));
        Assert.NotEqual(HttpStatusCode.Forbidden, await PostWithCookieAsync("/messages/inbox", "Origin", chain.GatewayAddress.GetLeftPart(UriPartial.Authority)));
        using var stillSignedIn = new HttpRequestMessage(HttpMethod.Get, "/messages/still");
        stillSignedIn.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stillSignedIn)).StatusCode);

        // POST /logout ends the session: its server-side ticket is gone, so the same cookie no longer opens anything.
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = chain.GatewayAddress };
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/logout");
        logout.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        var loggedOut = await noRedirects.SendAsync(logout);
        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        Assert.StartsWith(chain.Server.Issuer + "/connect/endsession", loggedOut.Headers.Location!.ToString());
        using var afterLogout = new HttpRequestMessage(HttpMethod.Get, "/messages/inbox");
        afterLogout.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(afterLogout)).StatusCode);
    }
}
