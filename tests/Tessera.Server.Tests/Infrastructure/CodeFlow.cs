using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using Tessera.Testing;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>Drives the authorization code flow over HTTP: authorize → sign in → consent → redirect with the code.</summary>
public static class CodeFlow
{
    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string AuthorizeUrl(string clientId, string redirectUri, string scope, string? challenge, params (string Name, string Value)[] extra)
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = redirectUri, ["scope"] = scope, ["state"] = "st-123",
        };
        if (challenge is not null)
        {
            query["code_challenge"] = challenge;
            query["code_challenge_method"] = "S256";
        }
        foreach (var (name, value) in extra) query[name] = value;
        return QueryHelpers.AddQueryString("/connect/authorize", query);
    }

    /// <summary>Runs the flow as alice (or the user given), approving consent when asked; returns the final redirect to the client.</summary>
    public static async Task<Browser.Page> SignInAndApproveAsync(
        Browser browser, string authorizeUrl, string decision = "allow", string username = PeopleImport.Alice, string password = PeopleImport.AlicePassword,
        SecondFactor? secondFactor = null)
    {
        var page = await browser.FollowAsync(await browser.GetAsync(authorizeUrl));
        if (page.RequestPath.StartsWith("/account/sign-in", StringComparison.Ordinal))
        {
            page = await browser.SubmitAsync(page, page.RequestPath, [("username", username), ("password", password), ("returnUrl", page.Field("returnUrl")!)]);
            page = await browser.FollowAsync(page);
        }
        if (secondFactor is not null && page.RequestPath.StartsWith("/account/sign-in/two-factor", StringComparison.Ordinal))
        {
            page = await browser.SubmitAsync(page, page.RequestPath, [("recoveryCode", secondFactor.NextRecoveryCode()), ("returnUrl", page.Field("returnUrl")!)]);
            page = await browser.FollowAsync(page);
        }
        if (page.RequestPath.StartsWith("/consent", StringComparison.Ordinal))
        {
            page = await browser.SubmitAsync(page, "/consent", [("returnUrl", page.Field("returnUrl")!), ("decision", decision)]);
            page = await browser.FollowAsync(page);
        }
        return page;
    }

    /// <summary>The query parameters of a redirect to the client.</summary>
    public static Dictionary<string, string> Callback(Browser.Page page)
    {
        var location = new Uri(page.Location ?? throw new InvalidOperationException($"no redirect: {page.Status} at {page.RequestPath}"));
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    /// <summary>Signs alice in at the web client (a new browser) and redeems the code: the token response.</summary>
    public static async Task<ProtocolResponse> WebTokensAsync(TesseraServer server, ProtocolClient protocol, string scope = "openid offline_access message")
    {
        using var browser = new Browser(server);
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, scope, null)))["code"];
        return await protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));
    }

    /// <summary>Signs alice in on <paramref name="browser"/> (which keeps the session) at the web client or the SPA; the ID token.</summary>
    public static async Task<string> IdTokenAsync(Browser browser, ProtocolClient protocol, string clientId = PeopleImport.Web)
    {
        ProtocolResponse token;
        if (clientId == PeopleImport.Spa)
        {
            var (verifier, challenge) = NewPkce();
            var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Spa, PeopleImport.SpaRedirect, "openid", challenge)))["code"];
            token = await protocol.PostAsync("/connect/token", null, ("grant_type", "authorization_code"), ("client_id", PeopleImport.Spa),
                ("code", code), ("redirect_uri", PeopleImport.SpaRedirect), ("code_verifier", verifier));
        }
        else
        {
            var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null)))["code"];
            token = await protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));
        }
        return (string?)token.Json["id_token"] ?? throw new InvalidOperationException($"no id_token in {token.Json.ToJsonString()}");
    }

    /// <summary>RFC 6749 §6 as the web client (client_secret_basic).</summary>
    public static Task<ProtocolResponse> RefreshAsync(ProtocolClient protocol, string refreshToken, params (string Name, string Value)[] extra) =>
        protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret, [("grant_type", "refresh_token"), ("refresh_token", refreshToken), .. extra]);

    public static string RefreshTokenOf(ProtocolResponse response) =>
        (string?)response.Json["refresh_token"] ?? throw new InvalidOperationException($"no refresh_token in {response.Json.ToJsonString()}");
}
