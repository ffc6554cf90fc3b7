using Tessera.Server.Apis;
using Tessera.Server.Audit;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Sessions;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Telemetry;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.AuthorizationCodes;
using Tessera.Server.Tokens.Revocation;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Grants;

/// <summary>RFC 6749 §4.1.3: the client redeems an authorization code for an access token (and an ID token with openid).</summary>
internal sealed class AuthorizationCodeGrant(
    AuthorizationCodeStore codes, UserTokens userTokens, TokenRevoker revoker, SessionStore sessions,
    ITesseraDbContextFactory databases, TimeProvider clock, TesseraMetrics metrics, AuditTrail audit) : IGrantHandler
{
    public string GrantType => GrantTypes.AuthorizationCode;

    // RFC 6749 §4.1.3: a public client sends its client_id; PKCE proves it is the one that started the flow.
    public bool AllowsPublicClients => true;

    public async ValueTask<Outcome<TokenResponse>> HandleAsync(TokenRequest request)
    {
        var cancellationToken = request.CancellationToken;
        var value = request.Form[Parameters.Code];
        if (value is null) return OAuthError.InvalidRequest("code is required");
        var redirectUri = request.Form[Parameters.RedirectUri];
        if (redirectUri is null) return OAuthError.InvalidRequest("redirect_uri is required");

        var code = await codes.RedeemAsync(value, request.Client.ClientId, cancellationToken);
        if (code is null)
        {
            // RFC 6749 §4.1.2: a code used twice revokes the tokens issued for it (the refresh tokens too).
            if (await codes.MarkReplayedAsync(value, request.Client.ClientId) is { } replayed)
            {
                await RevokeIssuedAsync(replayed, CancellationToken.None);
                metrics.AuthorizationCodeReplayed(request.Client.ClientId);
                audit.Post(new AuditEntry(AuditEventTypes.AuthorizationCodeReplayed, AuditEventTypes.Failure)
                {
                    UserId = replayed.Subject, ClientId = request.Client.ClientId, Actor = request.Client.ClientId,
                    Details = new Dictionary<string, string?> { ["result"] = "the tokens issued for the code are revoked" },
                }, null);
                return OAuthError.InvalidGrant("the authorization code was already used");
            }
            // RFC 6749 §4.1.3: the code must be valid, unexpired and issued to this client.
            return OAuthError.InvalidGrant("the authorization code is invalid or expired");
        }
        // RFC 6749 §4.1.3: redirect_uri must be identical to the one of the authorization request.
        if (code.RedirectUri != redirectUri) return OAuthError.InvalidGrant("redirect_uri does not match the authorization request");

        var pkce = Pkce.CheckVerifier(request.Form[Parameters.CodeVerifier], code.CodeChallenge, request.Client.RequirePkce);
        if (pkce.Failed) return pkce.Error;

        var active = await ActiveUser.FindAsync(databases, code.Subject, cancellationToken);
        if (active.Failed) return active.Error;
        var user = active.Value;

        var scopes = SpaceDelimited.Split(code.Scope);
        // RFC 8707 §2.2: the token request's resource picks the API; the code is used up either way, like any code.
        var target = TokenTargets.ForUser(scopes, request.Form.All(Parameters.Resource), request.Client, request.Catalog);
        if (target.Failed) return target.Error;
        // OIDC Back-Channel Logout 1.0 §2.7: without offline_access a refresh token lives only as long as the session.
        var sessionBound = code.SessionId is not null && !scopes.Contains(UserTokens.OfflineAccess);
        var issued = await userTokens.IssueAsync(
            new UserGrant(user, request.Client, scopes, scopes, target.Value, code.AuthTime, code.SessionId, code.Nonce)
            { Amr = code.Amr, SessionBound = sessionBound, Dpop = request.Dpop }, cancellationToken);
        var token = issued.AccessToken;
        if (await codes.RecordIssuedAsync(code.Hash, token, clock.GetUtcNow().ToUnixTimeSeconds() + token.ExpiresIn, issued.FamilyId))
        {
            // RFC 6749 §4.1.2: the code was replayed while these tokens were being issued; they are revoked, not handed out.
            await RevokeIssuedAsync(await codes.FindAsync(code.Hash), CancellationToken.None);
            return OAuthError.InvalidGrant("the authorization code was used twice; the tokens issued for it are revoked");
        }
        // §2.5: this client is told when the session ends — if it registered where to hear it.
        if (code.SessionId is not null && request.Client.BackchannelLogoutUri is not null)
            await sessions.RecordClientAsync(code.SessionId, request.Client.ClientId, user.Id, cancellationToken);
        return issued.Response;
    }

    private async Task RevokeIssuedAsync(AuthorizationCode? code, CancellationToken cancellationToken)
    {
        if (code?.IssuedRefreshFamilyId is { } family) await revoker.RevokeRefreshFamilyAsync(family, cancellationToken);
        if (code?.IssuedTokenJti is null) return;
        var format = code.IssuedTokenHash is null ? AccessTokenFormats.Jwt : AccessTokenFormats.Opaque;
        await revoker.RevokeAsync(new InspectedToken(format, code.IssuedTokenJti, code.Subject, code.ClientId, [], code.Scope,
            0, code.IssuedTokenExpiresAt ?? 0, code.IssuedTokenHash), cancellationToken);
    }
}
