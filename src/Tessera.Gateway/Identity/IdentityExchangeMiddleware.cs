using Microsoft.AspNetCore.Authentication;
using Tessera.AspNetCore;
using Tessera.Gateway.Authentication;

namespace Tessera.Gateway.Identity;

/// <summary>
/// Step of the proxy pipeline (after routing and authorization): exchanges the caller's access token — the bearer
/// token, or the session's — for the internal identity token. A refused exchange stops the request here.
/// </summary>
internal sealed class IdentityExchangeMiddleware(RequestDelegate next, IdentityTokenExchanger exchanger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var bearer = context.Features.Get<TesseraTokenFeature>();
        var subject = bearer?.Token ?? await context.GetTokenAsync(GatewaySchemes.Cookie, "access_token");
        if (subject is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = BearerChallenge.Format(null, null, null);
            return;
        }

        var exchanged = await exchanger.ExchangeAsync(subject, bearer?.Hash, context.RequestAborted);
        if (exchanged.IdentityToken is null)
        {
            // RFC 8693 §2.2.2 invalid_grant: the subject token is no longer active (revoked, expired): the caller's problem.
            if (exchanged.Error == "invalid_grant")
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = BearerChallenge.Format("invalid_token", "the token is not active", null);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }
            return;
        }
        context.Features.Set(new IdentityTokenFeature(exchanged.IdentityToken));
        await next(context);
    }
}
