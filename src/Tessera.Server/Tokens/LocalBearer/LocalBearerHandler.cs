using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.Dpop;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// The authentication scheme of Tessera's own HTTP APIs (admin, PATs, provider tokens): a bearer access token (RFC 6750
/// §2.1) that this server issued for itself (aud = issuer), judged by <see cref="AccessTokenInspector"/> exactly as
/// introspection would judge it, becomes a principal with the token's claims (<see cref="CallerClaims"/>). Not the
/// default scheme: the pages keep the session cookie, and no cookie ever opens these APIs.
/// </summary>
internal sealed class LocalBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AccessTokenInspector inspector, IssuerUrls urls, DpopProofs dpopProofs)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var credential = BearerCredential.Read(Request.Headers.Authorization);
        // RFC 6750 §3.1 invalid_token (a 401 with the reason): the header is meant as Bearer credentials but is not one token.
        if (credential.IsMalformed) return AuthenticateResult.Fail("the Authorization header is not one Bearer or DPoP token");
        if (credential.Token is not { } presented) return AuthenticateResult.NoResult();

        var token = await inspector.InspectAsync(presented, Context.RequestAborted);
        // RFC 6750 §3.1: invalid_token for an expired, revoked or foreign token (an API's shared secret vouches for that API only).
        if (token is null || token.SignedWithSharedSecret || !token.Audiences.Contains(urls.Issuer))
            return AuthenticateResult.Fail("the access token is not valid for this server");
        // RFC 9449 §7: a DPoP-bound token (a bound PAT too) only with a proof of its key, for this URL as the issuer names it.
        var uri = urls.Origin + Request.PathBase + Request.Path;
        if (await dpopProofs.RefusalAtResourceAsync(Context, uri, presented, token.Jkt, credential.IsDpop) is { } refusal)
        {
            Context.Items[DpopRefusalItem] = refusal;
            return AuthenticateResult.Fail(refusal.Description);
        }
        return AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.Principal(token, Scheme.Name), Scheme.Name));
    }

    private const string DpopRefusalItem = "tessera.dpop_refusal";

    /// <summary>401: a requirement's own refusal, else invalid_token with the reason authentication failed, else a bare challenge.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // RFC 9449 §7.1: a DPoP refusal keeps its own error code and the DPoP scheme's challenge.
        if (Context.Items[DpopRefusalItem] is OAuthError dpopRefusal)
        {
            await ProtocolResults.Error(dpopRefusal).ExecuteAsync(Context);
            return;
        }
        if (BearerRefusal.Of(properties) is { } refusal)
        {
            await ProtocolResults.Error(refusal).ExecuteAsync(Context);
            return;
        }
        // Only the reasons written above reach the client, never the text of an exception.
        if ((await HandleAuthenticateOnceSafeAsync()).Failure is AuthenticationFailureException failure)
        {
            await ProtocolResults.Error(OAuthError.InvalidToken(failure.Message)).ExecuteAsync(Context);
            return;
        }
        // RFC 6750 §3.1: a request without credentials gets a bare challenge, no error code.
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"tessera\"";
        Response.Headers.CacheControl = "no-store";
    }

    /// <summary>403: the refusal of the requirement that failed (insufficient_scope names the scope, RFC 6750 §3.1).</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        BearerRefusal.Of(properties) is { } refusal ? ProtocolResults.Error(refusal).ExecuteAsync(Context) : base.HandleForbiddenAsync(properties);
}
