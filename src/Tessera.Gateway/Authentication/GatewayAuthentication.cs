using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Tessera.AspNetCore;
using Tessera.Gateway.Configuration;

namespace Tessera.Gateway.Authentication;

/// <summary>
/// Who is calling: a bearer access token (JWT or opaque, through Tessera.AspNetCore) or a browser session (cookie
/// holding a handle; the gateway signed the user in as a confidential OIDC client with code + PKCE).
/// </summary>
internal static class GatewayAuthentication
{
    public static IServiceCollection AddGatewayAuthentication(this IServiceCollection services, GatewayOptions gateway)
    {
        services.AddDistributedMemoryCache();
        services.AddSingleton<SessionTicketStore>();
        services.AddSingleton<SessionRefresher>();
        services.AddSingleton<EndedSessions>();
        services.AddSingleton<LogoutTokenValidator>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = GatewaySchemes.Caller;
                o.DefaultChallengeScheme = GatewaySchemes.Caller;
            })
            .AddPolicyScheme(GatewaySchemes.Caller, "Bearer token or session", o => o.ForwardDefaultSelector = SelectScheme)
            .AddTessera(GatewaySchemes.Bearer, o =>
            {
                o.Authority = gateway.Authority;
                o.RequireHttpsMetadata = gateway.RequireHttpsMetadata;
                foreach (var audience in gateway.Audiences) o.ValidAudiences.Add(audience);
                o.ClientId = gateway.ClientId;
                o.ClientSecret = gateway.ClientSecret;
                o.IntrospectionCacheWindow = gateway.IntrospectionCacheWindow;
            })
            .AddCookie(GatewaySchemes.Cookie, o =>
            {
                o.Cookie.Name = GatewaySchemes.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = gateway.SessionLifetime;
                o.SlidingExpiration = true;
                // An API caller with a session but without the scope gets a status, not a redirect to a page.
                o.Events.OnRedirectToAccessDenied = context => { context.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
                o.Events.OnRedirectToLogin = context => { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<SessionRefresher>().ValidatePrincipalAsync(context);
            })
            .AddOpenIdConnect(GatewaySchemes.OpenIdConnect, o =>
            {
                o.SignInScheme = GatewaySchemes.Cookie;
                o.Authority = gateway.Authority;
                o.RequireHttpsMetadata = gateway.RequireHttpsMetadata;
                o.ClientId = gateway.ClientId;
                o.ClientSecret = gateway.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.Scope.Clear();
                string[] scopes = ["openid", "profile", "offline_access", .. gateway.Scopes];
                foreach (var scope in scopes) o.Scope.Add(scope);
                o.SaveTokens = true;    // into the server-side ticket, never into the cookie
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = "name";
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.Events.OnTokenValidated = AddGrantedScopes;
            });
        services.AddOptions<CookieAuthenticationOptions>(GatewaySchemes.Cookie)
            .Configure<SessionTicketStore>((o, store) => o.SessionStore = store);
        return services;
    }

    /// <summary>A bearer token if the request sends one, else the session cookie if present, else bearer (a 401 challenge).</summary>
    private static string SelectScheme(HttpContext context) =>
        RidesOnSessionCookie(context.Request) ? GatewaySchemes.Cookie : GatewaySchemes.Bearer;

    /// <summary>No Authorization header and a session cookie: the caller is the browser session.</summary>
    public static bool RidesOnSessionCookie(HttpRequest request) =>
        request.Headers.Authorization.Count == 0 && request.Cookies.ContainsKey(GatewaySchemes.CookieName);

    /// <summary>Route scopes are checked against the session's access token: its scopes become the session's scope claim.</summary>
    private static Task AddGrantedScopes(TokenValidatedContext context)
    {
        var scope = context.TokenEndpointResponse?.Scope;
        if (!string.IsNullOrEmpty(scope) && context.Principal?.Identity is ClaimsIdentity identity)
            identity.AddClaim(new Claim(TesseraDefaults.ScopeClaim, scope));
        return Task.CompletedTask;
    }
}
