using Microsoft.EntityFrameworkCore;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.Dpop;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>OIDC Core §5.3: claims about the user, for any active access token of this server that carries openid.</summary>
internal static class UserInfoEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, AccessTokenInspector inspector, ITesseraDbContextFactory databases, DpopProofs dpopProofs, IssuerUrls urls)
    {
        // RFC 6750 §2.1: the access token comes in the Authorization header. Not the local API scheme: UserInfo takes a
        // token for any API (the openid scope is what counts) and answers with texts of its own.
        var credential = BearerCredential.Read(context.Request.Headers.Authorization);
        if (credential.IsMalformed) return ProtocolResults.Error(OAuthError.InvalidToken("the Authorization header is not one Bearer or DPoP token"));
        if (credential.Token is not { } presented)
        {
            // RFC 6750 §3.1: no credentials, a bare challenge.
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"tessera\"";
            return Results.Unauthorized();
        }

        var token = await inspector.InspectAsync(presented, context.RequestAborted);
        if (token is null) return ProtocolResults.Error(OAuthError.InvalidToken("the access token is not active"));
        // A token signed with an API's shared secret could have been written by that API, for any user: not proof of a sign-in.
        if (token.SignedWithSharedSecret) return ProtocolResults.Error(OAuthError.InvalidToken("a token signed with an API's shared secret is for that API only"));
        // RFC 9449 §7: a DPoP-bound token only with a proof of its key; the proof's htu is this endpoint as the issuer names it.
        if (await dpopProofs.RefusalAtResourceAsync(context, urls.UserInfo, presented, token.Jkt, credential.IsDpop) is { } refusal)
            return ProtocolResults.Error(refusal);
        var scopes = SpaceDelimited.Split(token.Scope);
        // OIDC Core §5.3: UserInfo needs a token for a user sign-in, which carries openid.
        if (!scopes.Contains("openid")) return ProtocolResults.Error(OAuthError.InsufficientScope("the access token does not carry the openid scope", "openid"));

        await using var db = databases.Create();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == token.Subject, context.RequestAborted);
        if (user is null) return ProtocolResults.Error(OAuthError.InvalidToken("the user no longer exists"));

        return ProtocolResults.Json(json =>
        {
            json.WriteString(Claims.Subject, user.Id);
            foreach (var (name, value) in UserClaims.For(user, scopes))
            {
                if (value is bool flag) json.WriteBoolean(name, flag);
                else json.WriteString(name, value.ToString());
            }
            // How the user signed in for this token, as the ID token of the same sign-in says it (OIDC Core §2 acr, amr).
            if (token.Amr.Length > 0)
            {
                json.WriteString(Claims.Acr, AuthenticationContextClasses.Of(token.Amr));
                json.WriteStartArray(Claims.Amr);
                foreach (var method in SpaceDelimited.Split(token.Amr)) json.WriteStringValue(method);
                json.WriteEndArray();
            }
        });
    }
}
