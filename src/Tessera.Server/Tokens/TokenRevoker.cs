using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;

namespace Tessera.Server.Tokens;

/// <summary>Revokes an active access token so introspection reports it inactive from now on, on every node.</summary>
internal sealed class TokenRevoker(ITesseraDbContextFactory databases, OpaqueTokenStore opaqueTokens, TimeProvider clock)
{
    public async Task RevokeAsync(InspectedToken token, CancellationToken cancellationToken)
    {
        if (token.OpaqueHash is not null)
        {
            await opaqueTokens.RevokeAsync(token.OpaqueHash, clock.GetUtcNow().ToUnixTimeSeconds(), cancellationToken);
            return;
        }

        await using var db = databases.Create();
        // A JWT has no row: its jti joins the deny-list until the token would have expired anyway.
        db.RevokedJwts.Add(new RevokedJwt { Jti = token.Jti, ExpiresAt = token.ExpiresAt });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Already revoked (a retry, or two nodes at once): the outcome is the same.
        }
    }
}
