using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Tessera.Server.ExternalIdentities.WeChat;

/// <summary>
/// WeChat's OAuth 2.0 dialect on ASP.NET Core's OAuth handler: <c>appid</c>/<c>secret</c> instead of
/// <c>client_id</c>/<c>client_secret</c>, the token request as a GET, errors as <c>errcode</c>/<c>errmsg</c> in a 200
/// answer, and the user's <c>openid</c> (per app) or <c>unionid</c> (per developer account, preferred when present).
/// </summary>
public sealed class WeChatHandler(IOptionsMonitor<WeChatOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : OAuthHandler<WeChatOptions>(options, logger, encoder)
{
    public const string OpenIdClaim = "openid";
    public const string UnionIdClaim = "unionid";

    /// <summary>The QR-connect URL; WeChat wants its parameters in this order-insensitive query and the <c>#wechat_redirect</c> fragment.</summary>
    protected override string BuildChallengeUrl(AuthenticationProperties properties, string redirectUri)
    {
        var query = new Dictionary<string, string?>
        {
            ["appid"] = Options.ClientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = string.Join(",", Options.Scope),
            ["state"] = Options.StateDataFormat.Protect(properties),
        };
        return QueryHelpers.AddQueryString(Options.AuthorizationEndpoint, query) + "#wechat_redirect";
    }

    protected override async Task<OAuthTokenResponse> ExchangeCodeAsync(OAuthCodeExchangeContext context)
    {
        var url = QueryHelpers.AddQueryString(Options.TokenEndpoint, new Dictionary<string, string?>
        {
            ["appid"] = Options.ClientId,
            ["secret"] = Options.ClientSecret,
            ["code"] = context.Code,
            ["grant_type"] = "authorization_code",
        });
        var (document, error) = await GetJsonAsync(Backchannel, url, Context.RequestAborted);
        return document is null ? OAuthTokenResponse.Failed(new AuthenticationFailureException(error)) : OAuthTokenResponse.Success(document);
    }

    protected override async Task<AuthenticationTicket> CreateTicketAsync(ClaimsIdentity identity, AuthenticationProperties properties, OAuthTokenResponse tokens)
    {
        var openId = tokens.Response?.RootElement.TryGetProperty("openid", out var value) == true ? value.GetString() : null;
        if (string.IsNullOrEmpty(openId)) throw new AuthenticationFailureException("WeChat's token answer has no openid.");
        var url = QueryHelpers.AddQueryString(Options.UserInformationEndpoint, new Dictionary<string, string?>
        {
            ["access_token"] = tokens.AccessToken,
            ["openid"] = openId,
        });
        var (user, error) = await GetJsonAsync(Backchannel, url, Context.RequestAborted);
        if (user is null) throw new AuthenticationFailureException(error);
        using (user)
        {
            var root = user.RootElement;
            var unionId = String(root, "unionid") ?? String(tokens.Response!.RootElement, "unionid");
            identity.AddClaim(new Claim(ExternalClaims.Subject, unionId ?? openId, ClaimValueTypes.String, ClaimsIssuer));
            identity.AddClaim(new Claim(OpenIdClaim, openId, ClaimValueTypes.String, ClaimsIssuer));
            if (unionId is not null) identity.AddClaim(new Claim(UnionIdClaim, unionId, ClaimValueTypes.String, ClaimsIssuer));
            if (String(root, "nickname") is { Length: > 0 } nickname) identity.AddClaim(new Claim(ExternalClaims.Name, nickname, ClaimValueTypes.String, ClaimsIssuer));
        }
        // The token store needs the openid to hand it out with the token: WeChat's APIs take both.
        properties.Items[OpenIdClaim] = openId;
        if (String(tokens.Response!.RootElement, "scope") is { Length: > 0 } granted) properties.Items[ProviderTokens.GrantedScopeItem] = granted.Replace(',', ' ');
        var context = new OAuthCreatingTicketContext(new ClaimsPrincipal(identity), properties, Context, Scheme, Options, Backchannel, tokens, JsonDocument.Parse("{}").RootElement);
        await Events.CreatingTicket(context);
        return new AuthenticationTicket(context.Principal!, context.Properties, Scheme.Name);
    }

    /// <summary>A GET whose JSON answer is an error when it carries a non-zero <c>errcode</c>, even with status 200.</summary>
    internal static async Task<(JsonDocument? Document, string Error)> GetJsonAsync(HttpClient backchannel, string url, CancellationToken cancellationToken)
    {
        using var response = await backchannel.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) return (null, $"WeChat answered HTTP {(int)response.StatusCode}.");
        JsonDocument document;
        try { document = JsonDocument.Parse(body); }
        catch (JsonException) { return (null, "WeChat's answer is not JSON."); }
        if (document.RootElement.TryGetProperty("errcode", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() != 0)
        {
            var message = String(document.RootElement, "errmsg");
            document.Dispose();
            return (null, string.Create(CultureInfo.InvariantCulture, $"WeChat refused: errcode {code.GetInt32()} ({message})."));
        }
        return (document, "");
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
