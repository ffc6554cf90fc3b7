using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Grants;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.AuthorizationCodes;
using Tessera.Server.Tokens.PushedAuthorizations;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>
/// RFC 6749 §4.1.1 / OIDC Core §3.1.2: the authorization endpoint for response_type=code. Read the request → find the
/// session (or send the user to sign in) → check consent (or ask) → issue a code to the registered redirect URI.
/// </summary>
internal static class AuthorizeEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, SnapshotCache snapshots, IssuerUrls urls, ErrorPages errors, UserManager<TesseraUser> users,
        ConsentStore consents, AuthorizationCodeStore codes, TimeProvider clock, IOptions<TesseraOptions> options,
        InteractionProofs interactions, HeldScopes heldScopes, AuthorizationRequestSource source, PushedAuthorizationStore pushed)
    {
        if (HttpMethods.IsPost(context.Request.Method))
        {
            // OIDC Core §3.1.2.1: the request may come as a form POST. A POST from the client's site arrives without
            // the SameSite=Lax session cookie, so it would always look signed out; a 303 makes the browser repeat it as a
            // top-level GET, which carries the cookie, and one reader (the query's) then applies every rule.
            var form = await ProtocolForm.ReadAsync(context.Request, options.Value.Limits.MaxFormBytes);
            if (form.Failed) return errors.Redirect(form.Error);
            // RFC 6749 §3.1: ProtocolForm lets resource/audience repeat for the token endpoint; here nothing may.
            if (form.Value.Sent.Any(p => p.Value.Count > 1))
                return errors.Redirect(OAuthError.InvalidRequest("a parameter of the authorization request is repeated"));
            context.Response.Headers.Location = QueryHelpers.AddQueryString(urls.PathBase + EndpointPaths.Authorize, form.Value.Sent);
            return Results.StatusCode(StatusCodes.Status303SeeOther);
        }

        // RFC 9126 §4 and RFC 9101 §6.3: a request by reference or by request object stands for what its client pushed or signed.
        var resolved = await source.ResolveAsync(context.Request.Query, context.RequestAborted);
        if (resolved.Failed)
        {
            if (resolved.Error.Redirect is not { } to) return errors.Redirect(resolved.Error);
            return Results.Redirect(AuthorizationRequestReader.ResponseUrl(to.RedirectUri, to.State, urls.Issuer,
                (Parameters.Error, resolved.Error.Error), (Parameters.ErrorDescription, resolved.Error.Description)));
        }
        var returnQuery = resolved.Value.Indirect ? AuthorizationRequestSource.ByReference(context.Request.Query, resolved.Value) : context.Request.Query;

        var read = AuthorizationRequestReader.Read(resolved.Value.Parameters, snapshots.Current.Catalog);
        if (read.Failed)
        {
            // RFC 6749 §4.1.2.1: to the client only once its redirect URI is verified; otherwise the user is told.
            if (read.Error.Redirect is not { } back) return errors.Redirect(read.Error);
            return Results.Redirect(AuthorizationRequestReader.ResponseUrl(back.RedirectUri, back.State, urls.Issuer,
                (Parameters.Error, read.Error.Error), (Parameters.ErrorDescription, read.Error.Description)));
        }
        var request = read.Value;
        IResult Redirect(OAuthError error) => Results.Redirect(AuthorizationRequestReader.ResponseUrl(request.RedirectUri, request.State, urls.Issuer,
            (Parameters.Error, error.Error), (Parameters.ErrorDescription, error.Description)));

        // RFC 9126 §5 and §6: where pushing is required (server-wide or for this client), a request by value is refused.
        if (resolved.Value.PushedHash is null && (options.Value.Par.Required || request.Client.RequirePushedAuthorizationRequests))
            return Redirect(OAuthError.InvalidRequest("authorization requests of this client must be pushed to the pushed authorization request endpoint first"));

        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = session.Succeeded ? await users.GetUserAsync(session.Principal) : null;
        var authTime = SessionClaims.AuthTimeOf(session.Principal);
        // OIDC Core §3.1.2.1: prompt=login and an exceeded max_age both require a fresh sign-in.
        var needsLogin = user is null || request.Prompt.Contains("login") || (request.MaxAge is { } maxAge && now - authTime > maxAge);
        if (needsLogin)
        {
            // OIDC Core §3.1.2.6: prompt=none must not show a page.
            if (request.Prompt.Contains("none")) return Redirect(OAuthError.LoginRequired("the user is not signed in"));
            var returnUrl = AuthorizationRequestReader.Without(urls.PathBase, returnQuery, "login");
            var signIn = new Dictionary<string, string?> { ["returnUrl"] = returnUrl };
            if (request.LoginHint is not null) signIn[Parameters.LoginHint] = request.LoginHint;
            return Results.Redirect(QueryHelpers.AddQueryString(urls.PathBase + PagePaths.SignIn, signIn));
        }

        // Step-up: the request needs a second factor this session has not given; the user gives it without the password again.
        if (request.SecondFactorRequired && !SessionClaims.GaveSecondFactor(session.Principal))
        {
            // OIDC Core §3.1.2.6: prompt=none cannot ask the user for anything.
            if (request.Prompt.Contains("none")) return Redirect(OAuthError.InteractionRequired("this request needs a sign-in with a second factor"));
            if (!await SecondFactors.HasAnyAsync(users, user!))
                return Redirect(OAuthError.UnmetAuthenticationRequirements("this request needs a second factor, and the user has none set up"));
            var returnUrl = AuthorizationRequestReader.Without(urls.PathBase, returnQuery);
            return Results.Redirect(QueryHelpers.AddQueryString(urls.PathBase + PagePaths.TwoFactor, "returnUrl", returnUrl));
        }

        // Roles (issue 16): a scope of a roles-based API the user does not hold is dropped before consent; a request left
        // with none is refused (RFC 6749 §4.1.2.1 access_denied).
        var held = await heldScopes.OfAsync(user!.Id, request.Scopes, snapshots.Current.Catalog, context.RequestAborted);
        if (held.Count == 0) return Redirect(OAuthError.AccessDenied("the user holds none of the requested scopes"));
        request = request with { Scopes = held };

        // RFC 8252 §8.6: a native or PAT-seeking public client is answered only after the user approved this very request.
        if (NativeClientInteraction.IsRequired(request) && !interactions.Verify(context.Request.Query, user!.Id))
        {
            if (request.Prompt.Contains("none"))
                return Redirect(OAuthError.ConsentRequired("this public client's requests need the user's approval every time (RFC 8252 §8.6)"));
            var returnUrl = AuthorizationRequestReader.Without(urls.PathBase, returnQuery, "consent");
            return Results.Redirect(QueryHelpers.AddQueryString(urls.PathBase + PagePaths.Consent, "returnUrl", returnUrl));
        }

        if (request.Client.RequireConsent
            && (request.Prompt.Contains("consent") || !await consents.CoversAsync(user!.Id, request.Client.ClientId, request.Scopes, context.RequestAborted)))
        {
            if (request.Prompt.Contains("none")) return Redirect(OAuthError.ConsentRequired("the user has not approved this client's scopes"));
            var returnUrl = AuthorizationRequestReader.Without(urls.PathBase, returnQuery, "consent");
            return Results.Redirect(QueryHelpers.AddQueryString(urls.PathBase + PagePaths.Consent, "returnUrl", returnUrl));
        }

        // RFC 9126 §4: a pushed request gives one code; its request_uri is spent here, on whichever node comes first.
        if (resolved.Value.PushedHash is { } pushedHash && !await pushed.ConsumeAsync(pushedHash, context.RequestAborted))
            return errors.Redirect(OAuthError.InvalidRequestUri("the request_uri was already used"));

        var code = await codes.CreateAsync(new AuthorizationCode
        {
            Hash = [],
            ClientId = request.Client.ClientId,
            RedirectUri = request.RedirectUri,
            CodeChallenge = request.CodeChallenge,
            Nonce = request.Nonce,
            Scope = SpaceDelimited.Join(request.Scopes),
            Subject = user!.Id,
            AuthTime = authTime,
            Amr = SessionClaims.AmrOf(session.Principal),
            SessionId = session.Principal?.FindFirstValue(SessionClaims.SessionId),
        }, context.RequestAborted);
        // RFC 6749 §4.1.2: code and state to the redirect URI.
        return Results.Redirect(AuthorizationRequestReader.ResponseUrl(request.RedirectUri, request.State, urls.Issuer, (Parameters.Code, code)));
    }
}
