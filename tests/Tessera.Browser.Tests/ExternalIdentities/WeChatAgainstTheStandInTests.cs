using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Browser.Tests.ExternalIdentities.ExternalPages;

namespace Tessera.Browser.Tests.ExternalIdentities;

/// <summary>
/// WeChat's website login end to end in Chromium against the local STAND-IN (WeChatStandIn): QR-connect, the code
/// exchanged by GET with appid/secret, userinfo with openid, the unionid as the stable key, errcode answers as errors,
/// and the provider-token API refreshing an expired WeChat token through sns/oauth2/refresh_token.
/// </summary>
[Collection(NamedProvidersCollection.Name)]
public sealed class WeChatAgainstTheStandInTests(NamedProvidersFixture fixture)
{
    [Fact]
    public async Task Signing_in_with_WeChat_creates_a_user_keyed_by_unionid_and_the_api_refreshes_its_expired_token()
    {
        await using (var chromium = await Chromium.LaunchAsync())
        {
            await chromium.RunAsync(async page =>
            {
                await page.GotoAsync(fixture.Server.BaseAddress + "account/sign-in");
                await page.ClickAsync("#external-wechat");
                Assert.StartsWith(fixture.WeChat.BaseAddress + "connect/qrconnect?", page.Url);
                Assert.EndsWith("#wechat_redirect", page.Url);
                var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
                Assert.Equal(WeChatStandIn.AppId, query["appid"]);
                Assert.Equal("snsapi_login", query["scope"]);
                Assert.Equal(fixture.Server.BaseAddress + "signin-wechat", query["redirect_uri"]);
                Assert.False(query.ContainsKey("client_id"));
                await page.ClickAsync("#allow");
                await Assertions.Expect(page.Locator("main")).ToContainTextAsync("You are signed in as wechat-");
            });
            Assert.Empty(chromium.ConsoleErrors);
        }

        var user = await LinkedUserAsync(fixture.Server, "wechat", WeChatStandIn.UnionId);
        Assert.NotNull(user);
        Assert.Equal("Wei Stand-in", user.Name);
        // The dialect: a GET carrying appid, secret, code and grant_type; userinfo with access_token and openid.
        Assert.Contains(fixture.WeChat.Calls, c => c.StartsWith("GET /sns/oauth2/access_token?", StringComparison.Ordinal)
            && c.Contains($"appid={WeChatStandIn.AppId}") && c.Contains("grant_type=authorization_code") && c.Contains("secret="));
        Assert.Contains(fixture.WeChat.Calls, c => c.StartsWith("GET /sns/userinfo?", StringComparison.Ordinal) && c.Contains($"openid={WeChatStandIn.OpenId}"));

        // The stand-in's tokens live 30 s, inside the store's one-minute margin: the API refreshes before it answers.
        using var http = fixture.Server.CreateClient();
        var appToken = await new ProtocolClient(http).ClientCredentialsAsync(NamedProvidersFixture.AppClientId, NamedProvidersFixture.AppSecret, "tessera:provider-tokens");
        using var response = await GetWithTokenAsync(http, $"api/users/{user.Id}/identities/wechat/token", appToken.AccessToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(fixture.WeChat.Calls, c => c.StartsWith("GET /sns/oauth2/refresh_token?", StringComparison.Ordinal) && c.Contains("grant_type=refresh_token"));
        Assert.True(fixture.WeChat.IsCurrentAccessToken((string)body["access_token"]!));
        Assert.Equal(WeChatStandIn.OpenId, (string?)body["openid"]);
        Assert.Equal("snsapi_login", (string?)body["scope"]);
    }

    [Theory]
    // WeChat refuses the code with errcode 40029 in a 200 answer: that is a failure, not a token.
    [InlineData("#allow-refused-code", "did not succeed")]
    // The user declines: WeChat comes back with the state and no code.
    [InlineData("#deny", "You did not allow WeChat to sign you in.")]
    public async Task A_WeChat_refusal_ends_on_the_error_page_and_creates_nobody(string link, string message)
    {
        var usersBefore = await UserCountAsync(fixture.Server);
        await using var chromium = await Chromium.LaunchAsync();
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(fixture.Server.BaseAddress + "account/sign-in");
            await page.ClickAsync("#external-wechat");
            await page.ClickAsync(link);
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync(message);
            Assert.StartsWith(fixture.Server.BaseAddress + "error?", page.Url);
        });
        Assert.Equal(usersBefore, await UserCountAsync(fixture.Server));
    }
}
