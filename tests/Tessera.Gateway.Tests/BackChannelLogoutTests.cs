using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Gateway.Authentication;
using Tessera.Gateway.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Gateway.Tests;

/// <summary>
/// The gateway as a relying party of OIDC Back-Channel Logout 1.0 (issue 17): a user who signs out at Tessera loses
/// the gateway session begun in that Tessera session, with its server-side ticket; the endpoint takes only genuine,
/// unexpired logout tokens for the gateway, once each.
/// </summary>
[Collection(nameof(ChainCollection))]
public sealed class BackChannelLogoutTests(ChainFixture chain)
{
    private const string EventType = "http://schemas.openid.net/event/backchannel-logout";

    [Fact]
    public async Task Signing_out_at_tessera_ends_the_gateway_session_begun_in_it()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var inbox = new Uri(chain.GatewayAddress, "/messages/inbox").ToString();
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(new Uri(chain.GatewayAddress, "/login?returnUrl=/messages/inbox").ToString());
            await page.FillAsync("input[autocomplete=username]", ChainFixture.User);
            await page.FillAsync("input[autocomplete=current-password]", ChainFixture.Password);
            await page.ClickAsync("button[type=submit]");
            await Chromium.ArrivedAsync(page, url => url == inbox || url.Contains("/consent", StringComparison.Ordinal));
            if (page.Url.Contains("/consent", StringComparison.Ordinal)) await page.ClickAsync("button[name=decision][value=allow]");
            await Chromium.ArrivedAsync(page, url => url == inbox);
        });
        var cookie = (await chromium.Page.Context.CookiesAsync([chain.GatewayAddress.ToString()])).Single(c => c.Name == GatewaySchemes.CookieName);
        using var client = chain.CreateGatewayClient();
        Assert.Equal(HttpStatusCode.OK, await CallWithCookieAsync(client, cookie.Value));

        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(chain.Server.Issuer + "/account/sign-out");
            await page.ClickAsync("button:has-text('Sign out')");
            await Microsoft.Playwright.Assertions.Expect(page.Locator("main")).ToContainTextAsync("You are signed out.");
        });

        // Tessera's sender polls every 2 s by default; the gateway refuses the session from the first request after.
        var status = HttpStatusCode.OK;
        for (var i = 0; i < 100 && status == HttpStatusCode.OK; i++)
        {
            await Task.Delay(200);
            status = await CallWithCookieAsync(client, cookie.Value);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Empty(chromium.ConsoleErrors);
    }

    [Fact]
    public async Task The_endpoint_takes_a_genuine_logout_token_for_the_gateway_once_and_nothing_else()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Dictionary<string, object> Claims(string audience = ChainFixture.GatewayClient) => new()
        {
            ["iss"] = chain.Server.Issuer, ["aud"] = audience, ["iat"] = now, ["exp"] = now + 120, ["jti"] = Guid.NewGuid().ToString("n"),
            ["sub"] = "someone", ["sid"] = "some-session", ["events"] = new Dictionary<string, object> { [EventType] = new Dictionary<string, object>() },
        };
        var genuine = IssuerKeys.Sign(chain.Server, Claims(), "logout+jwt");
        var withNonce = Claims();
        withNonce["nonce"] = "n";
        var withoutEvent = Claims();
        withoutEvent.Remove("events");
        var withoutSid = Claims();
        withoutSid.Remove("sid");
        using var foreignKey = RSA.Create(2048);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = Claims(), TokenType = "logout+jwt",
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(foreignKey) { KeyId = "foreign" }, SecurityAlgorithms.RsaSha256),
        });
        var expiredClaims = Claims();
        expiredClaims["iat"] = now - 600;
        expiredClaims["exp"] = now - 300;

        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(null));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("not-a-jwt"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(forged));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(IssuerKeys.Sign(chain.Server, Claims("another-client"), "logout+jwt")));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(IssuerKeys.Sign(chain.Server, Claims(), "JWT")));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(IssuerKeys.Sign(chain.Server, withNonce, "logout+jwt")));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(IssuerKeys.Sign(chain.Server, withoutEvent, "logout+jwt")));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(IssuerKeys.Sign(chain.Server, withoutSid, "logout+jwt")));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(IssuerKeys.Sign(chain.Server, expiredClaims, "logout+jwt")));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(genuine));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(genuine));
    }

    private async Task<HttpStatusCode> PostAsync(string? logoutToken)
    {
        using var client = chain.CreateGatewayClient();
        var form = logoutToken is null ? [] : new Dictionary<string, string> { ["logout_token"] = logoutToken };
        using var response = await client.PostAsync(SessionEndpoints.BackChannelLogoutPath, new FormUrlEncodedContent(form));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> CallWithCookieAsync(HttpClient client, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/messages/after-logout");
        request.Headers.Add("Cookie", $"{GatewaySchemes.CookieName}={cookie}");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
