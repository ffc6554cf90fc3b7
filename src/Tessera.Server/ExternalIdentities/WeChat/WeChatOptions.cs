using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.Identity;
using Tessera.Server.Configuration;

namespace Tessera.Server.ExternalIdentities.WeChat;

/// <summary>
/// WeChat's website login (QR connect). Its OAuth 2.0 dialect names the client <c>appid</c> and its secret <c>secret</c>;
/// the endpoints default to WeChat's own and can be pointed elsewhere (a local stand-in in tests).
/// </summary>
public sealed class WeChatOptions : OAuthOptions
{
    public const string DefaultAuthorizationEndpoint = "https://open.weixin.qq.com/connect/qrconnect";
    public const string DefaultTokenEndpoint = "https://api.weixin.qq.com/sns/oauth2/access_token";
    public const string DefaultUserInformationEndpoint = "https://api.weixin.qq.com/sns/userinfo";
    public const string DefaultRefreshEndpoint = "https://api.weixin.qq.com/sns/oauth2/refresh_token";

    /// <summary>WeChat's scope for website (QR code) login.</summary>
    public const string LoginScope = "snsapi_login";

    public string RefreshEndpoint { get; set; } = DefaultRefreshEndpoint;

    public WeChatOptions()
    {
        AuthorizationEndpoint = DefaultAuthorizationEndpoint;
        TokenEndpoint = DefaultTokenEndpoint;
        UserInformationEndpoint = DefaultUserInformationEndpoint;
        // WeChat does not take PKCE parameters; the state and the correlation cookie still bind the answer to the browser.
        UsePkce = false;
        SaveTokens = true;
    }

    internal static void Configure(WeChatOptions o, ExternalProviderOptions provider, string callback)
    {
        o.ClientId = provider.ClientId;
        o.ClientSecret = provider.ClientSecret;
        o.CallbackPath = callback;
        o.SignInScheme = IdentityConstants.ExternalScheme;
        o.AuthorizationEndpoint = provider.AuthorizationEndpoint ?? DefaultAuthorizationEndpoint;
        o.TokenEndpoint = provider.TokenEndpoint ?? DefaultTokenEndpoint;
        o.UserInformationEndpoint = provider.UserInformationEndpoint ?? DefaultUserInformationEndpoint;
        o.RefreshEndpoint = provider.RefreshEndpoint ?? DefaultRefreshEndpoint;
        o.Scope.Clear();
        foreach (var scope in ExternalAuthentication.Scopes(provider, [LoginScope])) o.Scope.Add(scope);
        ExternalAuthentication.LaxCookies(o);
        o.Events.OnRemoteFailure = ExternalFailure.HandleAsync;
    }
}
