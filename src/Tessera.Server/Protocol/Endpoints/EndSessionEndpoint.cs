using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.IdTokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>A logout request (OIDC RP-Initiated Logout 1.0 §2), read once.</summary>
internal sealed record LogoutRequest(string? IdTokenHint, string? ClientId, string? PostLogoutRedirectUri, string? State);

/// <summary>
/// OIDC RP-Initiated Logout 1.0: read the request → validate id_token_hint → end the session of the user the hint
/// names (anyone else is asked on the sign-out page) → return to a post_logout_redirect_uri registered for the
/// hinted client, or show the plain signed-out page. Never redirects anywhere else.
/// </summary>
internal static class EndSessionEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, IdTokenReader idTokens, IssuerUrls urls, ErrorPages errors,
        UserManager<TesseraUser> users, IOptions<TesseraOptions> options)
    {
        // A POST from the client's site carries no SameSite=Lax session cookie: the same request as a top-level GET does.
        if (HttpMethods.IsPost(context.Request.Method))
        {
            var form = await ProtocolForm.ReadAsync(context.Request, options.Value.Limits.MaxFormBytes);
            if (form.Failed) return errors.Redirect(form.Error);
            var posted = form.Value;
            context.Response.Headers.Location = Again(urls, new LogoutRequest(
                posted[Parameters.IdTokenHint], posted[Parameters.ClientId], posted[Parameters.PostLogoutRedirectUri], posted[Parameters.State]));
            return Results.StatusCode(StatusCodes.Status303SeeOther);
        }

        var request = Read(context.Request.Query);
        if (request.Failed) return errors.Redirect(request.Error);
        RegisteredClient? client = null;
        string? subject = null;
        if (request.Value.IdTokenHint is { } hint)
        {
            // RP-Initiated Logout §2: an expired hint is still a hint.
            var validated = await idTokens.ReadAsync(hint, checkLifetime: false);
            if (validated is null) return errors.Redirect(OAuthError.InvalidRequest("id_token_hint is not an ID token issued by this server"));
            (client, subject) = (validated.Client, validated.Subject);
        }
        // RP-Initiated Logout §2: client_id, when sent with a hint, names the hint's audience.
        if (request.Value.ClientId is { } clientId && client is not null && clientId != client.ClientId)
            return errors.Redirect(OAuthError.InvalidRequest("client_id does not match the audience of id_token_hint"));

        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (session.Succeeded)
        {
            // §2: the OP should ask the user; it does unless the hint names the signed-in user (a forged logout link cannot).
            // The page comes back here once the user has said yes, so the application still gets its way back (§3).
            if (subject is null || users.GetUserId(session.Principal) != subject)
                return Results.Redirect(QueryHelpers.AddQueryString(urls.PathBase + PagePaths.SignOut, "returnUrl", Again(urls, request.Value)));
            await context.SignOutAsync(IdentityConstants.ApplicationScheme);
        }

        // §3: only a URI registered for the hinted client, compared exactly, so this endpoint is no open redirector.
        if (request.Value.PostLogoutRedirectUri is { } target && client is not null && RedirectUris.IsRegistered(target, client.PostLogoutRedirectUris))
            return Results.Redirect(request.Value.State is { } state ? QueryHelpers.AddQueryString(target, Parameters.State, state) : target);
        return Results.Redirect(urls.PathBase + PagePaths.SignOut);
    }

    /// <summary>This endpoint with the same request, as a local URL (a POSTed logout request becomes a GET).</summary>
    private static string Again(IssuerUrls urls, LogoutRequest request)
    {
        var query = new Dictionary<string, string?>();
        if (request.IdTokenHint is { } hint) query[Parameters.IdTokenHint] = hint;
        if (request.ClientId is { } clientId) query[Parameters.ClientId] = clientId;
        if (request.PostLogoutRedirectUri is { } target) query[Parameters.PostLogoutRedirectUri] = target;
        if (request.State is { } state) query[Parameters.State] = state;
        return QueryHelpers.AddQueryString(urls.PathBase + EndpointPaths.EndSession, query);
    }

    private static Outcome<LogoutRequest> Read(IQueryCollection query)
    {
        if (query.Any(p => p.Value.Count > 1)) return OAuthError.InvalidRequest("a parameter of the logout request is repeated");
        string? Single(string name) => query[name] is { Count: 1 } v && !string.IsNullOrEmpty(v[0]) ? v[0] : null;
        return new LogoutRequest(Single(Parameters.IdTokenHint), Single(Parameters.ClientId), Single(Parameters.PostLogoutRedirectUri), Single(Parameters.State));
    }
}
