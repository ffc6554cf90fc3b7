using Tessera.Server.Apis;
using Tessera.Server.Audit;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Grants;

/// <summary>
/// RFC 8693: a confidential client (a gateway, a service) exchanges a token it was given for an access token to
/// another API, for the same subject — the identity a request carries through a chain of services.
/// </summary>
internal sealed partial class TokenExchangeGrant(
    ExchangeParties parties, AccessTokenIssuer issuer, HeldScopes heldScopes, TokenUserClaims userClaims, ITesseraDbContextFactory databases,
    AuditTrail audit, ILogger<TokenExchangeGrant> logger) : IGrantHandler
{
    public string GrantType => GrantTypes.TokenExchange;

    public async ValueTask<Outcome<TokenResponse>> HandleAsync(TokenRequest request)
    {
        var form = request.Form;
        var cancellationToken = request.CancellationToken;
        // RFC 8693 §2.1: what the client wants back; we issue access tokens, which are JWTs for JWT APIs.
        var requestedType = form[Parameters.RequestedTokenType] ?? TokenTypes.AccessTokenUri;
        if (requestedType is not (TokenTypes.AccessTokenUri or TokenTypes.JwtUri))
            return OAuthError.InvalidRequest($"requested_token_type '{requestedType}' is not supported");

        var subject = await parties.ReadAsync(form, Parameters.SubjectToken, Parameters.SubjectTokenType, request.Client, cancellationToken);
        if (subject.Failed) return subject.Error;
        var actor = await ReadActorAsync(request, cancellationToken);
        if (actor.Failed) return actor.Error;

        var target = ExchangeTargets.Select(form, subject.Value.Scopes, subject.Value.IsSignIn, request.Client, request.Catalog);
        if (target.Failed) return target.Error;
        // Roles (issue 16): a user's token passes on only the scopes the user still holds; none left is invalid_scope
        // (RFC 8693 §2.2.2).
        var held = await heldScopes.OfSubjectAsync(subject.Value.Subject, target.Value.Scopes, request.Catalog, cancellationToken);
        if (held.Count == 0) return OAuthError.InvalidScope("the subject holds none of the requested scopes");
        var narrowed = target.Value with { Scopes = held };
        if (requestedType == TokenTypes.JwtUri && narrowed.Format != AccessTokenFormats.Jwt)
            return OAuthError.InvalidTarget($"'{narrowed.Primary.Audience}' uses opaque access tokens, not JWTs");

        // RFC 8693 §4.1: the current actor outermost, earlier actors nested; without an actor token the chain carries on.
        var actorJson = actor.Value is { } acting ? ExchangeParties.ActorClaim(acting.Subject, subject.Value.ActorJson) : subject.Value.ActorJson;
        if (actorJson is not null && narrowed.Format != AccessTokenFormats.Jwt)
            return OAuthError.InvalidTarget($"'{narrowed.Primary.Audience}' uses opaque access tokens, which cannot record an actor");

        var claims = issuer.NewClaims(subject.Value.Subject, request.Client.ClientId, narrowed);
        // A token obtained from another never outlives it: revoking or expiring the subject token bounds this one.
        var expiresAt = Math.Min(claims.ExpiresAt, Math.Min(subject.Value.ExpiresAt, actor.Value?.ExpiresAt ?? long.MaxValue));
        claims = claims with
        {
            ExpiresAt = expiresAt,
            ActorJson = actorJson,
            UserClaimsJson = await UserClaimsAsync(subject.Value.Subject, narrowed, cancellationToken),
            Jkt = request.Dpop.KeyThumbprint,
        };
        if (claims.ExpiresAt <= claims.IssuedAt) return OAuthError.InvalidGrant("subject_token expires now");

        var token = await issuer.IssueAsync(claims, cancellationToken);
        Log.TokenExchanged(logger, request.Client.ClientId, narrowed.Primary.Audience, subject.Value.Subject);
        audit.Post(new AuditEntry(AuditEventTypes.TokenExchanged)
        {
            // A client's own token has sub = its client_id: no user is affected then.
            UserId = subject.Value.Subject == subject.Value.ClientId ? null : subject.Value.Subject,
            ClientId = request.Client.ClientId, Actor = request.Client.ClientId,
            Details = new Dictionary<string, string?> { ["audience"] = narrowed.Primary.Audience, ["scope"] = claims.Scope },
        }, null);
        // RFC 8693 §2.2.1: issued_token_type is required; token_type is Bearer for an access token; no refresh token.
        return new TokenResponse(token.Value, token.TokenType, token.ExpiresIn, token.Scope) { IssuedTokenType = requestedType, AccessTokenFormat = token.Format, SigningAlgorithm = token.SigningAlgorithm };
    }

    /// <summary>
    /// The roles and attributes the target API asks for, when the subject is a user (a client's own token has neither);
    /// read now, so a role removed since the subject token was issued is not passed on.
    /// </summary>
    private async Task<string?> UserClaimsAsync(string subject, TokenTarget target, CancellationToken cancellationToken)
    {
        if (!target.Apis.Any(api => api.TokenClaims.Count > 0)) return null;
        var user = await ActiveUser.FindAsync(databases, subject, cancellationToken);
        return user.Failed ? null : await userClaims.ForAsync(user.Value, target, cancellationToken);
    }

    /// <summary>RFC 8693 §2.1: actor_token_type is required with actor_token and must not appear without it.</summary>
    private async ValueTask<Outcome<ExchangeParty?>> ReadActorAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        if (request.Form[Parameters.ActorToken] is null)
        {
            if (request.Form[Parameters.ActorTokenType] is not null)
                return OAuthError.InvalidRequest("actor_token_type is not allowed without actor_token");
            return (ExchangeParty?)null;
        }
        var actor = await parties.ReadAsync(request.Form, Parameters.ActorToken, Parameters.ActorTokenType, request.Client, cancellationToken);
        if (actor.Failed) return actor.Error;
        // RFC 8693 §2.1: the actor token is the identity of the acting party, which is the client making this request.
        // A token another client holds (one it sent us) would let the requester claim to act as that client.
        if (actor.Value.ClientId != request.Client.ClientId)
            return OAuthError.InvalidGrant("actor_token was not issued to this client: the actor is the party making the request");
        return actor.Value;
    }
}
