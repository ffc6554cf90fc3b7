using Microsoft.Extensions.Options;
using Tessera.Server.Audit;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Telemetry;
using Tessera.Server.Tokens.RefreshTokens;
using Tessera.Server.Tokens.Revocation;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Grants;

/// <summary>
/// RFC 6749 §6: a refresh token for a new access token. Every use rotates the refresh token; a reused (already
/// rotated) one revokes its whole family and the access tokens issued from it (RFC 9700 §4.14.2).
/// </summary>
internal sealed class RefreshTokenGrant(
    RefreshTokenStore refreshTokens, UserTokens userTokens, HeldScopes heldScopes, TokenRevoker revoker,
    SessionStore sessions, IOptions<TesseraOptions> options, TimeProvider clock, TesseraMetrics metrics, AuditTrail audit) : IGrantHandler
{
    private const string Inactive = "the refresh token is invalid, expired or revoked";

    public string GrantType => GrantTypes.RefreshToken;

    // RFC 6749 §6: a public client refreshes with its client_id; the token is bound to that client.
    public bool AllowsPublicClients => true;

    public async ValueTask<Outcome<TokenResponse>> HandleAsync(TokenRequest request)
    {
        var cancellationToken = request.CancellationToken;
        var value = request.Form[Parameters.RefreshToken];
        if (value is null) return OAuthError.InvalidRequest("refresh_token is required");

        // The row and its user in one read (a refresh is at most four statements: this, the rotation, the access token, the new row).
        var found = await refreshTokens.FindWithUserAsync(value, cancellationToken);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (found is not var (row, userRow)) return OAuthError.InvalidGrant(Inactive);
        // RFC 6749 §6: the refresh token must have been issued to the authenticated client.
        if (row.ClientId != request.Client.ClientId) return OAuthError.InvalidGrant("the refresh token was issued to another client");
        // Issued before this client was registered: to a deleted client that had the same id.
        if (row.IssuedAt < request.Client.RegisteredAt) return OAuthError.InvalidGrant("the refresh token was issued to another client");
        if (row.RevokedAt is not null || row.ExpiresAt <= now) return OAuthError.InvalidGrant(Inactive);
        // RFC 9449 §5: a refresh token bound to a DPoP key is used with a proof of that same key.
        if (row.Jkt is not null && !string.Equals(row.Jkt, request.Dpop.KeyThumbprint, StringComparison.Ordinal))
            return OAuthError.InvalidGrant("the refresh token is bound to another DPoP key");
        if (row.ConsumedAt is { } consumedAt && !WithinGrace(consumedAt, now)) return await RefuseReuseAsync(row, cancellationToken);
        // OIDC Back-Channel Logout 1.0 §2.7: a refresh token issued without offline_access ends with its session. Ending a
        // session revokes them (SessionStore); this check covers a refresh racing the sign-out.
        if (row.SessionBound && (row.SessionId is null || await sessions.FindActiveAsync(row.SessionId, cancellationToken) is null))
        {
            await revoker.RevokeRefreshFamilyAsync(row.FamilyId, cancellationToken);
            return OAuthError.InvalidGrant("the session this refresh token belongs to has ended");
        }

        // Decided before the token rotates: a deleted or disabled user's refresh consumes nothing.
        var active = ActiveUser.Of(userRow);
        if (active.Failed) return active.Error;
        var user = active.Value;

        var refreshed = ScopePolicy.Refreshed(row.Scope, request.Form[Parameters.Scope], request.Client);
        if (refreshed.Failed) return refreshed.Error;
        var (granted, scopes) = refreshed.Value;
        // Roles (issue 16): a scope of a roles-based API the user no longer holds leaves the grant for good (the rotated
        // token keeps the narrower grant, so a refresh never widens, RFC 6749 §6); nothing left is invalid_scope (§5.2).
        granted = await heldScopes.OfAsync(row.Subject, granted, request.Catalog, cancellationToken);
        scopes = scopes.Where(granted.Contains).ToList();
        if (scopes.Count == 0) return OAuthError.InvalidScope("the user no longer holds any of the requested scopes");
        // RFC 8707 §2.2: a refresh may ask for a token for another API of the grant; decided before the token rotates.
        var target = TokenTargets.ForUser(scopes, request.Form.All(Parameters.Resource), request.Client, request.Catalog);
        if (target.Failed) return target.Error;

        // The rotation itself: one conditional UPDATE; losing it means another request rotated the token first.
        if (row.ConsumedAt is null && !await refreshTokens.ConsumeAsync(row.Hash, now, cancellationToken))
        {
            var current = await refreshTokens.FindAsync(value, cancellationToken);
            if (current is not { RevokedAt: null, ConsumedAt: { } raced } || !WithinGrace(raced, now))
                return await RefuseReuseAsync(current ?? row, cancellationToken);
        }

        var issued = await userTokens.IssueAsync(new UserGrant(user, request.Client, granted, scopes, target.Value, row.AuthTime, row.SessionId,
            FamilyId: row.FamilyId, RefreshExpiresAt: row.ExpiresAt)
        { Amr = row.Amr, SessionBound = row.SessionBound, Dpop = request.Dpop }, cancellationToken);

        // A reuse elsewhere may have revoked the family while this rotation was under way: the new refresh token was
        // not stored (its INSERT checks the family), and the new access token goes too.
        if (issued.FamilyRevoked)
        {
            await revoker.RevokeAccessTokenAsync(issued.AccessToken.Jti, issued.AccessToken.OpaqueHash,
                clock.GetUtcNow().ToUnixTimeSeconds() + issued.AccessToken.ExpiresIn, cancellationToken);
            return OAuthError.InvalidGrant(Inactive);
        }
        return issued.Response;
    }

    /// <summary>Tessera:RefreshTokens:ReuseGraceSeconds (0 by default): a rotated token still works this long.</summary>
    private bool WithinGrace(long consumedAt, long now) => now - consumedAt < options.Value.RefreshTokens.ReuseGraceSeconds;

    private async Task<OAuthError> RefuseReuseAsync(RefreshToken row, CancellationToken cancellationToken)
    {
        // RFC 9700 §4.14.2: a rotated refresh token used again means two parties hold it; revoke the whole family.
        await revoker.RevokeRefreshFamilyAsync(row.FamilyId, cancellationToken);
        metrics.RefreshTokenReused(row.ClientId);
        audit.Post(new AuditEntry(AuditEventTypes.RefreshTokenReused, AuditEventTypes.Failure)
        {
            UserId = row.Subject, ClientId = row.ClientId, Actor = row.ClientId,
            Details = new Dictionary<string, string?> { ["family"] = row.FamilyId, ["result"] = "the grant is revoked" },
        }, null);
        return OAuthError.InvalidGrant("the refresh token was already used; its grant is revoked");
    }
}
