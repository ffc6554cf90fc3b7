using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using static Tessera.Browser.Tests.ExternalIdentities.ExternalPages;

namespace Tessera.Browser.Tests.ExternalIdentities;

/// <summary>
/// The named providers' wiring, read off the authorization redirect each one's button produces: where it goes, which
/// client and scopes it names, PKCE where the provider takes it, and the callback URL to register.
/// </summary>
[Collection(NamedProvidersCollection.Name)]
public sealed class NamedProviderRedirectTests(NamedProvidersFixture fixture)
{
    [Theory]
    [InlineData("github", "https://github.com/login/oauth/authorize", "Iv1.github-client", "read:user user:email", true)]
    [InlineData("google", "https://accounts.google.com/o/oauth2/v2/auth", "1234.apps.googleusercontent.com", "openid profile email", true)]
    [InlineData("microsoft", "https://login.microsoftonline.com/common/oauth2/v2.0/authorize", "00000000-0000-0000-0000-000000000001", "openid profile email", true)]
    [InlineData("wechat", null, NamedProvidersFixture.WeChatAppId, "snsapi_login", false)]
    public async Task Each_provider_button_redirects_to_its_authorization_endpoint_with_its_client_scopes_and_pkce(
        string provider, string? endpoint, string clientId, string scope, bool pkce)
    {
        using var http = Browserless(fixture.Server.BaseAddress);
        using var response = await PostExternalAsync(http, provider);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var query = QueryHelpers.ParseQuery(location.Query);

        Assert.Equal(endpoint ?? fixture.WeChat.BaseAddress + "connect/qrconnect", location.GetLeftPart(UriPartial.Path));
        var clientParameter = provider == "wechat" ? "appid" : "client_id";
        Assert.Equal(clientId, query[clientParameter]);
        Assert.Equal(scope, query["scope"].ToString().Replace(',', ' '));
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(fixture.Server.BaseAddress + "signin-" + provider, query["redirect_uri"]);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.Equal(pkce ? "S256" : null, query.TryGetValue("code_challenge_method", out var method) ? method.ToString() : null);
        Assert.Equal(pkce, query.ContainsKey("code_challenge"));
        Assert.DoesNotContain("secret", location.Query, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_sign_in_page_shows_one_button_per_provider_and_lets_its_forms_reach_them()
    {
        using var http = Browserless(fixture.Server.BaseAddress);
        using var response = await http.GetAsync("account/sign-in");
        var page = await response.Content.ReadAsStringAsync();
        // Each button: the provider's own mark (issue 20), decorative, then its name.
        foreach (var (name, label, colour) in new[] { ("wechat", "WeChat", "#07c160"), ("github", "GitHub", "#24292f"), ("google", "Google", "#4285f4"), ("microsoft", "Microsoft", "#f25022") })
            Assert.Matches($"id=\"external-{name}\" class=\"provider provider-{name}\">\\s*<svg class=\"mark\"[^>]*aria-hidden=\"true\"[^>]*>(?:(?!</svg>)[\\s\\S])*{colour}(?:(?!</svg>)[\\s\\S])*</svg>\\s*{label}</button>", page);
        // Browsers check form-action along the redirect chain: each provider's origin must be allowed.
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        foreach (var origin in new[] { "https://github.com", "https://accounts.google.com", "https://login.microsoftonline.com", fixture.WeChat.BaseAddress.ToString().TrimEnd('/') })
            Assert.Contains(origin, csp);
    }
}
