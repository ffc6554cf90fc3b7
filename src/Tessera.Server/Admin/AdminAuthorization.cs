using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol;
using Tessera.Server.Tokens;

namespace Tessera.Server.Admin;

/// <summary>
/// The admin API takes a bearer access token (RFC 6750 §2.1) issued by this server for itself (aud = issuer)
/// carrying the <c>tessera:admin</c> scope.
/// </summary>
internal sealed class AdminAuthorization(AccessTokenInspector inspector, IssuerUrls urls) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 6750 §3.1: a request without credentials gets a bare challenge, no error code.
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"tessera\"";
            return Results.Unauthorized();
        }

        var token = await inspector.InspectAsync(header["Bearer ".Length..].Trim(), context.HttpContext.RequestAborted);
        if (token is null || !token.Audiences.Contains(urls.Issuer))
            return ProtocolResults.Error(OAuthError.InvalidToken("the access token is not valid for this server"));
        if (!SpaceDelimited.Split(token.Scope).Contains(BuiltInApi.AdminScope))
            return ProtocolResults.Error(OAuthError.InsufficientScope("the admin API needs the tessera:admin scope", BuiltInApi.AdminScope));
        return await next(context);
    }
}
