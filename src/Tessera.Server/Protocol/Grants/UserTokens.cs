using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.Dpop;
using Tessera.Server.Tokens.IdTokens;
using Tessera.Server.Tokens.RefreshTokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Grants;

/// <summary>
/// What a user's grant (a code, a device code, a refresh) gives the client: the user granted
/// <paramref name="GrantedScopes"/>, this response is for <paramref name="TokenScopes"/> (the ID token's claims), and its
/// access token for <paramref name="Target"/> (chosen by the grant before it consumes anything). A refresh continues
/// <paramref name="FamilyId"/> with its expiry; a new grant starts a family.
/// </summary>
public sealed record UserGrant(
    TesseraUser User, RegisteredClient Client, IReadOnlyList<string> GrantedScopes, IReadOnlyList<string> TokenScopes, TokenTarget Target,
    long AuthTime, string? SessionId, string? Nonce = null, string? FamilyId = null, long? RefreshExpiresAt = null)
{
    /// <summary>RFC 8176 amr values of the sign-in behind the grant, space-delimited; "" when unknown (a grant from before they were kept).</summary>
    public string Amr { get; init; } = "";

    /// <summary>
    /// OIDC Back-Channel Logout 1.0 §2.7: a sign-in without offline_access whose refresh token lives only as long as
    /// <see cref="SessionId"/>; a refresh keeps it so.
    /// </summary>
    public bool SessionBound { get; init; }

    /// <summary>RFC 9449 §5: the key the token request proved; the access token (and a public client's refresh token) is bound to it.</summary>
    public DpopBinding Dpop { get; init; } = DpopBinding.None;
}

/// <summary>The response, the access token in it (to be revoked with its grant) and the refresh-token family, if any.</summary>
public sealed record IssuedUserTokens(TokenResponse Response, IssuedAccessToken AccessToken, string? FamilyId)
{
    /// <summary>A refresh whose family was revoked while it was under way: no refresh token was stored, the access token must go.</summary>
    public bool FamilyRevoked { get; init; }
}

/// <summary>
/// Issues the tokens of a user's grant: access token, ID token with openid, refresh token with offline_access (or bound
/// to the session without it).
/// </summary>
internal sealed class UserTokens(
    AccessTokenIssuer issuer, IdTokenWriter idTokens, RefreshTokenStore refreshTokens, TokenUserClaims userClaims, IOptions<TesseraOptions> options,
    TimeProvider clock)
{
    public const string OfflineAccess = "offline_access";

    public async Task<IssuedUserTokens> IssueAsync(UserGrant grant, CancellationToken cancellationToken)
    {
        // RFC 9068 §2.2.1: auth_time, so an API (Tessera's PAT API) can ask for a recent sign-in.
        var access = await issuer.IssueAsync(
            issuer.NewClaims(grant.User.Id, grant.Client.ClientId, grant.Target) with
            {
                AuthTime = grant.AuthTime > 0 ? grant.AuthTime : null,
                Amr = grant.Amr,
                UserClaimsJson = await userClaims.ForAsync(grant.User, grant.Target, cancellationToken),
                Jkt = grant.Dpop.KeyThumbprint,
            },
            cancellationToken);

        string? refreshToken = null, familyId = null;
        var familyRevoked = false;
        // OIDC Core §11: offline_access asks for a refresh token that outlives the session; without it (Back-Channel Logout
        // §2.7) the refresh token ends with the session. RFC 6749 §6: only a client allowed the refresh_token grant gets one.
        var offline = grant.GrantedScopes.Contains(OfflineAccess);
        if ((offline || grant.SessionBound) && grant.Client.GrantTypes.Contains(GrantTypes.RefreshToken))
        {
            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            familyId = grant.FamilyId ?? SecretGenerator.NewSecret(16);
            refreshToken = await refreshTokens.CreateAsync(new RefreshToken
            {
                Hash = [],
                FamilyId = familyId,
                ClientId = grant.Client.ClientId,
                Subject = grant.User.Id,
                Scope = SpaceDelimited.Join(grant.GrantedScopes),
                AuthTime = grant.AuthTime,
                Amr = grant.Amr,
                SessionId = grant.SessionId,
                SessionBound = !offline,
                IssuedAt = now,
                ExpiresAt = grant.RefreshExpiresAt ?? now + (long)options.Value.RefreshTokens.Lifetime.TotalSeconds,
                AccessTokenJti = access.Jti,
                AccessTokenHash = access.OpaqueHash,
                AccessTokenExpiresAt = now + access.ExpiresIn,
                // RFC 9449 §5: a public client's refresh token is bound to its DPoP key (it has no other credential);
                // a confidential client's is bound to its authentication already.
                Jkt = grant.Client.IsPublic ? grant.Dpop.KeyThumbprint : null,
            }, continuesFamily: grant.FamilyId is not null, cancellationToken);
            familyRevoked = refreshToken is null;
        }

        var idToken = grant.TokenScopes.Contains("openid")
            ? idTokens.Write(new IdTokenContent(grant.User, grant.Client.ClientId, grant.TokenScopes, grant.AuthTime, grant.Nonce, grant.SessionId, access.Value)
            {
                Amr = grant.Amr,
                UserClaimsJson = await userClaims.ForIdTokenAsync(grant.User, grant.Client, cancellationToken),
            })
            : null;
        var response = new TokenResponse(access.Value, access.TokenType, access.ExpiresIn, access.Scope) { IdToken = idToken, RefreshToken = refreshToken, AccessTokenFormat = access.Format, SigningAlgorithm = access.SigningAlgorithm };
        return new IssuedUserTokens(response, access, familyId) { FamilyRevoked = familyRevoked };
    }
}
