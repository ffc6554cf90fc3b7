using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Events;
using Tessera.AspNetCore.Validation;

namespace Tessera.AspNetCore;

/// <summary>
/// Authenticates a request by its access token: a JWT is validated locally against the issuer's JWKS, anything else
/// (opaque <c>tsr_at_</c> handles, <c>tsr_pat_</c> personal access tokens) by introspection. Challenges follow RFC 6750 §3.
/// </summary>
public sealed class TesseraHandler(IOptionsMonitor<TesseraOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<TesseraOptions>(options, logger, encoder)
{
    /// <summary>The AuthenticationProperties item a scope policy fills with the scopes a refused request needed.</summary>
    public const string RequiredScopeItem = "tessera.required_scope";

    /// <summary>The authentication context classes a refused request needed (set by the refusal result handler).</summary>
    public const string RequiredAcrItem = "tessera.required_acr";

    private new TesseraEvents Events => (TesseraEvents)base.Events!;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new TesseraEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var received = new MessageReceivedContext(Context, Scheme, Options);
        await Events.MessageReceived(received);
        if (received.Result is not null) return received.Result;

        var (read, presentedAsDpop) = received.Token is null ? ReadToken() : (null, false);
        var token = received.Token ?? read;
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();

        var hash = TokenHash.Of(token);
        TokenCheck check;
        try
        {
            if (TokenShape.IsJwt(token))
                check = await Options.JwtValidator.ValidateAsync(token, hash, Scheme.Name, Context.RequestAborted);
            else if (TokenShape.CanBeTesseraOpaqueToken(token))
                check = await Options.Introspection.ValidateAsync(token, hash, Scheme.Name, Context.RequestAborted);
            else
                // RFC 6750 §3.1 invalid_token, decided here: the issuer is not asked about a string it cannot have issued.
                check = TokenCheck.Invalid("the token is not a Tessera access token");
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or IOException or TaskCanceledException)
        {
            Log.IssuerUnreachable(Logger, exception);
            check = TokenCheck.Invalid("the token could not be checked");
        }

        // RFC 9449 §7: a bound token with a proof of its key under the DPoP scheme; a Bearer token under the Bearer scheme.
        if (check.Identity is not null && await Dpop.DpopPresentation.RefusalAsync(Context, Options, Options.DpopReplay, token,
                Dpop.DpopConfirmation.KeyThumbprintOf(check.Identity), presentedAsDpop, TimeProvider) is { } refusal)
        {
            Log.TokenRefused(Logger, refusal.Message);
            var refused = new AuthenticationFailedContext(Context, Scheme, Options, refusal.Message);
            await Events.AuthenticationFailed(refused);
            return refused.Result ?? AuthenticateResult.Fail(refusal);
        }

        if (check.Identity is null)
        {
            Log.TokenRefused(Logger, check.Failure!);
            var failed = new AuthenticationFailedContext(Context, Scheme, Options, check.Failure!);
            await Events.AuthenticationFailed(failed);
            return failed.Result ?? AuthenticateResult.Fail(check.Failure!);
        }

        var validated = new TokenValidatedContext(Context, Scheme, Options, token)
        {
            Principal = new ClaimsPrincipal(check.Identity),
            Properties = new AuthenticationProperties(),
        };
        await Events.TokenValidated(validated);
        if (validated.Result is not null) return validated.Result;
        if (Options.SaveToken) Context.Features.Set(new TesseraTokenFeature(token, hash));
        validated.Success();
        return validated.Result!;
    }

    /// <summary>
    /// RFC 6750 §2.1 "Authorization: Bearer", or RFC 9449 §7.1 "Authorization: DPoP" (then a proof must come with it),
    /// unless the options name another header carrying the bare token.
    /// </summary>
    private (string? Token, bool Dpop) ReadToken()
    {
        var header = Options.TokenHeader ?? "Authorization";
        var values = Request.Headers[header];
        if (values.Count != 1) return (null, false);   // none, or repeated: refuse to guess which one counts
        var value = values[0]!;
        if (Options.TokenHeader is not null && !header.Equals("Authorization", StringComparison.OrdinalIgnoreCase)) return (value.Trim(), false);
        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return (value["Bearer ".Length..].Trim(), false);
        return value.StartsWith("DPoP ", StringComparison.OrdinalIgnoreCase) ? (value["DPoP ".Length..].Trim(), true) : (null, false);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var authenticated = await HandleAuthenticateOnceSafeAsync();
        var challenge = new ChallengeContext(Context, Scheme, Options, properties);
        if (authenticated.Failure is not null)
        {
            // RFC 6750 §3.1: invalid_token for a token that is expired, revoked, malformed or for someone else.
            challenge.Error = "invalid_token";
            challenge.ErrorDescription = authenticated.Failure.Message;
        }
        else if (properties.Items.TryGetValue(RequiredAcrItem, out var acrValues))
        {
            // RFC 9470 §3: the token is fine, the user's sign-in behind it is not strong enough for this request.
            challenge.Error = "insufficient_user_authentication";
            challenge.ErrorDescription = "a stronger sign-in is required";
            challenge.AcrValues = acrValues;
        }
        await Events.Challenge(challenge);
        if (challenge.Handled) return;

        Response.StatusCode = 401;
        // RFC 6750 §3: without any token the challenge carries no error code. RFC 9728 §5.1: once the metadata is
        // mapped, every 401 says where it is.
        var metadata = MetadataUrl();
        // RFC 9449 §7.1: a DPoP refusal, or any refusal of a token sent with the DPoP scheme, is a DPoP challenge.
        if (authenticated.Failure is Dpop.DpopRefusedException dpop)
            Response.Headers.WWWAuthenticate = DpopChallenge.Format(dpop.Error, challenge.ErrorDescription, Options.Dpop.Algorithms, metadata);
        else if (PresentedAsDpop())
            Response.Headers.WWWAuthenticate = DpopChallenge.Format(challenge.Error, challenge.ErrorDescription, Options.Dpop.Algorithms, metadata);
        else
            Response.Headers.WWWAuthenticate = BearerChallenge.Format(challenge.Error, challenge.ErrorDescription, scope: null, challenge.AcrValues, metadata);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var forbidden = new ForbiddenContext(Context, Scheme, Options, properties)
        {
            RequiredScope = properties.Items.TryGetValue(RequiredScopeItem, out var scope) ? scope : null,
        };
        await Events.Forbidden(forbidden);
        if (forbidden.Handled) return;

        Response.StatusCode = 403;
        if (forbidden.RequiredScope is null) return;
        // RFC 6750 §3.1: insufficient_scope names the scope the request needed. RFC 9728 §5.1: and, as in a 401, where
        // the metadata is (MCP 2025-11-25's step-up reads it from this 403 too).
        var metadata = MetadataUrl();
        // RFC 9449 §7.1: a token sent with the DPoP scheme is answered in the DPoP scheme, insufficient_scope included.
        Response.Headers.WWWAuthenticate = PresentedAsDpop()
            ? DpopChallenge.Format("insufficient_scope", null, forbidden.RequiredScope, Options.Dpop.Algorithms, metadata)
            : BearerChallenge.Format("insufficient_scope", null, forbidden.RequiredScope, acrValues: null, metadata);
    }

    /// <summary>The RFC 9728 metadata document's URL for this request, once MapTesseraProtectedResourceMetadata mapped one.</summary>
    private string? MetadataUrl()
    {
        var metadataPath = Context.RequestServices.GetService<ProtectedResource.MappedMetadataDocuments>()?.PathOf(Scheme.Name, Request.Path.Value ?? "");
        return metadataPath is null ? null : $"{Request.Scheme}://{Request.Host}{Request.PathBase}{metadataPath}";
    }

    /// <summary>Whether the token came in "Authorization: DPoP" (a custom TokenHeader carries a bare token, of no scheme).</summary>
    private bool PresentedAsDpop() => ReadToken().Dpop && Options.TokenHeader is null;
}
