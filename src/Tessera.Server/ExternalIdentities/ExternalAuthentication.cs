using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Tessera.Server.Configuration;
using Tessera.Server.ExternalIdentities.WeChat;

namespace Tessera.Server.ExternalIdentities;

/// <summary>
/// One ASP.NET Core remote-authentication scheme per configured provider (scheme name = provider name). Each signs in to
/// Identity's temporary external cookie; <c>/account/external/done</c> then decides what the sign-in means.
/// </summary>
internal static class ExternalAuthentication
{
    public const string CallbackPrefix = "/signin-";

    public static void AddExternalProviders(this AuthenticationBuilder authentication, TesseraOptions options)
    {
        var pathBase = Uri.TryCreate(options.Issuer, UriKind.Absolute, out var issuer) ? issuer.AbsolutePath.TrimEnd('/') : "";
        foreach (var (name, provider) in options.ExternalProviders)
        {
            var callback = pathBase + CallbackPrefix + name;
            var display = provider.DisplayName ?? name;
            switch (provider.Type)
            {
                case ExternalProviderTypes.GitHub:
                    authentication.AddOAuth(name, display, o => ConfigureGitHub(o, provider, callback));
                    break;
                case ExternalProviderTypes.WeChat:
                    authentication.AddOAuth<WeChatOptions, WeChatHandler>(name, display, o => WeChatOptions.Configure(o, provider, callback));
                    break;
                case ExternalProviderTypes.Oidc or ExternalProviderTypes.Google or ExternalProviderTypes.Microsoft:
                    authentication.AddOpenIdConnect(name, display, o => ConfigureOidc(o, provider, callback));
                    break;
            }
        }
    }

    private static void ConfigureOidc(OpenIdConnectOptions o, ExternalProviderOptions provider, string callback)
    {
        o.Authority = provider.Authority ?? provider.Type switch
        {
            ExternalProviderTypes.Google => ExternalProviderTypes.GoogleAuthority,
            ExternalProviderTypes.Microsoft => ExternalProviderTypes.MicrosoftAuthority,
            _ => null,
        };
        o.ClientId = provider.ClientId;
        o.ClientSecret = provider.ClientSecret;
        o.CallbackPath = callback;
        o.SignInScheme = IdentityConstants.ExternalScheme;
        // Authorization code flow with PKCE (RFC 7636), the tokens kept for the provider-token store.
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.SaveTokens = true;
        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = true;
        o.Scope.Clear();
        foreach (var scope in Scopes(provider, ["openid", "profile", "email"])) o.Scope.Add(scope);
        // Plain-HTTP discovery only for an issuer on loopback (a local provider in development and tests).
        o.RequireHttpsMetadata = !(Uri.TryCreate(o.Authority, UriKind.Absolute, out var authority) && authority.IsLoopback);
        // Microsoft's common endpoint issues tokens from each tenant's own issuer: the issuer is checked against the token's tid.
        if (provider.Type == ExternalProviderTypes.Microsoft && provider.Authority is null)
            o.TokenValidationParameters.IssuerValidator = MicrosoftTenantIssuer.Create(o.Authority!, provider.AllowedTenants);
        if (provider.AuthorizationEndpoint is not null || provider.TokenEndpoint is not null)
        {
            // Explicit endpoints replace discovery (an offline test, a provider without discovery).
            o.Configuration = new OpenIdConnectConfiguration
            {
                Issuer = o.Authority,
                AuthorizationEndpoint = provider.AuthorizationEndpoint,
                TokenEndpoint = provider.TokenEndpoint,
                UserInfoEndpoint = provider.UserInformationEndpoint,
            };
            o.GetClaimsFromUserInfoEndpoint = provider.UserInformationEndpoint is not null;
        }
        LaxCookies(o);
        o.Events.OnRemoteFailure = ExternalFailure.HandleAsync;
        // RFC 6749 §5.1: the granted scope, when the provider says it, is what the stored token may do.
        o.Events.OnTokenResponseReceived = context =>
        {
            if (context.TokenEndpointResponse.Scope is { Length: > 0 } scope) context.Properties!.Items[ProviderTokens.GrantedScopeItem] = scope;
            return Task.CompletedTask;
        };
    }

    private static void ConfigureGitHub(OAuthOptions o, ExternalProviderOptions provider, string callback)
    {
        o.ClientId = provider.ClientId;
        o.ClientSecret = provider.ClientSecret;
        o.CallbackPath = callback;
        o.SignInScheme = IdentityConstants.ExternalScheme;
        o.AuthorizationEndpoint = provider.AuthorizationEndpoint ?? "https://github.com/login/oauth/authorize";
        o.TokenEndpoint = provider.TokenEndpoint ?? "https://github.com/login/oauth/access_token";
        o.UserInformationEndpoint = provider.UserInformationEndpoint ?? "https://api.github.com/user";
        o.UsePkce = true;
        o.SaveTokens = true;
        foreach (var scope in Scopes(provider, ["read:user", "user:email"])) o.Scope.Add(scope);
        // GitHub's numeric id is stable; the login can be renamed. Its public e-mail carries no verification flag.
        o.ClaimActions.MapJsonKey(ExternalClaims.Subject, "id");
        o.ClaimActions.MapJsonKey(ExternalClaims.Name, "name");
        o.ClaimActions.MapJsonKey(ExternalClaims.PreferredUsername, "login");
        o.ClaimActions.MapJsonKey(ExternalClaims.Email, "email");
        o.Events.OnCreatingTicket = async context =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, context.Options.UserInformationEndpoint);
            request.Headers.Authorization = new("Bearer", context.AccessToken);
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.UserAgent.ParseAdd("Tessera");
            using var response = await context.Backchannel.SendAsync(request, context.HttpContext.RequestAborted);
            response.EnsureSuccessStatusCode();
            using var user = JsonDocument.Parse(await response.Content.ReadAsStringAsync(context.HttpContext.RequestAborted));
            context.RunClaimActions(user.RootElement);
            // GitHub answers the granted scopes comma-separated.
            if (context.TokenResponse.Response?.RootElement.TryGetProperty("scope", out var scope) == true && scope.GetString() is { Length: > 0 } granted)
                context.Properties.Items[ProviderTokens.GrantedScopeItem] = granted.Replace(',', ' ');
        };
        LaxCookies(o);
        o.Events.OnRemoteFailure = ExternalFailure.HandleAsync;
    }

    internal static IEnumerable<string> Scopes(ExternalProviderOptions provider, string[] defaults) =>
        provider.Scopes.Count > 0 ? provider.Scopes : defaults;

    /// <summary>
    /// The correlation (and nonce) cookies must come back on the provider's top-level GET redirect: Lax does that, and
    /// SameAsRequest lets a loopback development install on plain HTTP work while https installs get Secure cookies.
    /// </summary>
    internal static void LaxCookies(RemoteAuthenticationOptions o)
    {
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        if (o is OpenIdConnectOptions oidc)
        {
            oidc.NonceCookie.SameSite = SameSiteMode.Lax;
            oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }
    }
}
