using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Tessera.Server.Storage.Sessions;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Sessions;

/// <summary>
/// Ties the session cookie to a <see cref="UserSession"/> row: every sign-in (password, registration, external) creates
/// the row for the cookie's <c>sid</c>, every sign-out ends it, and every request's cookie is accepted only while its
/// row is active and its user is not disabled.
/// Why cookie events and not an <c>ITicketStore</c>: the cookie already carries a random <c>sid</c>, so a small row and
/// one cache lookup per request suffice; a ticket store would serialize whole tickets into the database and change the
/// cookie's format for every user at deployment. The data-protected cookie still cannot be forged; the row only decides
/// whether a genuine cookie is still alive.
/// Identity's security-stamp validator is deliberately not chained: every stamp change in Tessera (password, disable,
/// revoke) ends the user's sessions here, and that validator would rebuild the principal without sid and auth_time.
/// </summary>
internal sealed class ServerSideSessionEvents(
    SessionStore sessions, SessionActivity activity, DisabledUsers disabled, IOptions<IdentityOptions> identity, TimeProvider clock)
    : CookieAuthenticationEvents
{
    public override async Task SigningIn(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity claims) return;
        var sessionId = claims.FindFirst(SessionClaims.SessionId)?.Value;
        if (sessionId is null)
        {
            // Every cookie names a session; a sign-in path that did not pick a sid gets one here.
            sessionId = SecretGenerator.NewSecret(16);
            claims.AddClaim(new Claim(SessionClaims.SessionId, sessionId));
        }
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var userAgent = context.Request.Headers.UserAgent.ToString();
        await sessions.CreateAsync(new UserSession
        {
            Id = sessionId,
            UserId = claims.FindFirst(identity.Value.ClaimsIdentity.UserIdClaimType)!.Value,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + (long)context.Options.ExpireTimeSpan.TotalSeconds,
            UserAgent = userAgent.Length == 0 ? null : userAgent[..Math.Min(userAgent.Length, UserSession.MaxUserAgentLength)],
            IpAddress = context.HttpContext.Connection.RemoteIpAddress?.ToString(),
        }, context.HttpContext.RequestAborted);
    }

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var sessionId = context.Principal?.FindFirstValue(SessionClaims.SessionId);
        var userId = context.Principal?.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType);
        var session = sessionId is null ? null : await sessions.FindActiveAsync(sessionId, context.HttpContext.RequestAborted);
        // A copy of the cookie of an ended session, or of a disabled user, is no session at all.
        if (session is null || session.UserId != userId || disabled.Contains(userId))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        activity.Record(session.Id);
    }

    public override async Task SigningOut(CookieSigningOutContext context)
    {
        // The session being left is the request's user (the authentication middleware's default scheme is this cookie).
        // Not AuthenticateAsync here: a sign-out from ValidatePrincipal would wait for its own authentication.
        if (context.HttpContext.User is { } principal
            && principal.FindFirstValue(SessionClaims.SessionId) is { } sessionId
            && principal.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType) is { } userId)
            await sessions.EndAsync(userId, sessionId, CancellationToken.None);
    }
}
