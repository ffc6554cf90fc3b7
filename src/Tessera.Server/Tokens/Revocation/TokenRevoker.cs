using Microsoft.EntityFrameworkCore;
using Tessera.Server.Apis;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Tokens.RefreshTokens;

namespace Tessera.Server.Tokens.Revocation;

/// <summary>
/// Revokes tokens so introspection reports them inactive from now on, on every node: one access token, or a refresh
/// token's whole family with the access tokens issued from it, or everything a user's grant to a client holds.
/// </summary>
internal sealed class TokenRevoker(
    ITesseraDbContextFactory databases, OpaqueTokenStore opaqueTokens, PersonalAccessTokenStore personalAccessTokens, RefreshTokenStore refreshTokens, TimeProvider clock)
{
    public Task RevokeAsync(InspectedToken token, CancellationToken cancellationToken) =>
        token is { Format: AccessTokenFormats.PersonalAccessToken, OpaqueHash: { } hash }
            ? personalAccessTokens.RevokeAsync(hash, cancellationToken)
            : RevokeAccessTokenAsync(token.Jti, token.OpaqueHash, token.ExpiresAt, cancellationToken);

    /// <summary>RFC 9700 §4.14.2 and RFC 7009 §2.1: the family's refresh tokens and the access tokens issued with them.</summary>
    public async Task RevokeRefreshFamilyAsync(string familyId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var rows = await refreshTokens.RevokeFamilyAsync(familyId, now, cancellationToken);
        foreach (var row in rows)
        {
            if (row is { AccessTokenJti: { } jti, AccessTokenExpiresAt: { } expiresAt } && expiresAt > now)
                await RevokeAccessTokenAsync(jti, row.AccessTokenHash, expiresAt, cancellationToken);
        }
    }

    /// <summary>A withdrawn grant: every refresh-token family of the user at the client, and so their access tokens.</summary>
    public async Task RevokeGrantAsync(string subject, string clientId, CancellationToken cancellationToken)
    {
        foreach (var family in await refreshTokens.FamiliesAsync(subject, clientId, cancellationToken))
            await RevokeRefreshFamilyAsync(family, cancellationToken);
    }

    /// <summary>A credential change or an administrator's intervention: every family of the user at every client.</summary>
    public async Task RevokeUserGrantsAsync(string subject, CancellationToken cancellationToken)
    {
        foreach (var family in await refreshTokens.FamiliesAsync(subject, cancellationToken))
            await RevokeRefreshFamilyAsync(family, cancellationToken);
    }

    private async Task RevokeAccessTokenAsync(string jti, byte[]? opaqueHash, long expiresAt, CancellationToken cancellationToken)
    {
        if (opaqueHash is not null)
        {
            await opaqueTokens.RevokeAsync(opaqueHash, clock.GetUtcNow().ToUnixTimeSeconds(), cancellationToken);
            return;
        }

        await using var db = databases.Create();
        // A JWT has no row: its jti joins the deny-list until the token would have expired anyway.
        db.RevokedJwts.Add(new RevokedJwt { Jti = jti, ExpiresAt = expiresAt });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Already revoked (a retry, or two nodes at once): the outcome is the same.
        }
    }
}
