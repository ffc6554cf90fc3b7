using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Cors;
using Tessera.Server.Throttling;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>Every protocol route in one place, under the issuer's path.</summary>
internal static class ProtocolRoutes
{
    public static void MapProtocolEndpoints(this WebApplication app)
    {
        var urls = app.Services.GetRequiredService<IssuerUrls>();
        var group = app.MapGroup(urls.PathBase);
        var options = app.Services.GetRequiredService<IOptions<TesseraOptions>>().Value;
        var clientLimits = app.Services.GetRequiredService<ClientRequestLimits>();
        // OIDC Core §3.1.2.1: the authorization endpoint supports GET and POST.
        group.MapMethods(EndpointPaths.Authorize, ["GET", "POST"], AuthorizeEndpoint.HandleAsync);
        // Browser apps (CORS): token, revocation, userinfo, JWKS and discovery — what a single-page app without a backend
        // calls itself. Not the authorization and end-session endpoints (top-level navigations, not fetches), nor
        // introspection (a resource server's call). RFC 7591 registration (Registration/) answers them too.
        group.MapPost(EndpointPaths.Token, TokenEndpoint.HandleAsync).LimitedPerClient(clientLimits.Token, options.Limits.MaxFormBytes).AnswersBrowserApps();
        group.MapMethods(EndpointPaths.UserInfo, ["GET", "POST"], UserInfoEndpoint.HandleAsync).AnswersBrowserApps();
        group.MapPost(EndpointPaths.Introspection, IntrospectionEndpoint.HandleAsync).LimitedPerClient(clientLimits.Introspection, options.Limits.MaxFormBytes);
        group.MapPost(EndpointPaths.Revocation, RevocationEndpoint.HandleAsync).AnswersBrowserApps();
        // RFC 9126: pushed authorization requests, limited per client like the token endpoint.
        group.MapPost(EndpointPaths.PushedAuthorization, PushedAuthorizationEndpoint.HandleAsync).LimitedPerClient(clientLimits.Token, options.Limits.MaxFormBytes);
        group.MapPost(EndpointPaths.DeviceAuthorization, DeviceAuthorizationEndpoint.HandleAsync)
            .LimitedPerIp(RequestRateLimits.DeviceAuthorization, options.RateLimits.DeviceAuthorizationsPerIp);
        group.MapMethods(EndpointPaths.EndSession, ["GET", "POST"], EndSessionEndpoint.HandleAsync);
        group.MapGet(EndpointPaths.Jwks, JwksEndpoint.Handle).AnswersBrowserApps();

        var discovery = app.Services.GetRequiredService<DiscoveryEndpoint>();
        group.MapGet(EndpointPaths.OpenIdConfiguration, discovery.Handle).AnswersBrowserApps();
        group.MapGet(EndpointPaths.OAuthAuthorizationServer, discovery.Handle).AnswersBrowserApps();
        // RFC 8414 §3.1: for an issuer with a path, the well-known segment goes before that path.
        if (urls.PathBase.Length > 0) app.MapGet(EndpointPaths.OAuthAuthorizationServer + urls.PathBase, discovery.Handle).AnswersBrowserApps();
    }
}
