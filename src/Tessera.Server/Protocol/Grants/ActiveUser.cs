using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Grants;

/// <summary>The user a grant acts for, read when the grant is redeemed: every user-bound grant asks here, and only here.</summary>
internal static class ActiveUser
{
    /// <summary>RFC 6749 §5.2: a grant of a user who was deleted or disabled since is no longer valid (invalid_grant).</summary>
    public static async Task<Outcome<TesseraUser>> FindAsync(ITesseraDbContextFactory databases, string userId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        return Of(await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken));
    }

    /// <summary>The same rule for a user read with the grant (a refresh token's row and its user in one read).</summary>
    public static Outcome<TesseraUser> Of(TesseraUser? user)
    {
        if (user is null) return OAuthError.InvalidGrant("the user no longer exists");
        if (user.DisabledAt is not null) return OAuthError.InvalidGrant("the user is disabled");
        return user;
    }
}
