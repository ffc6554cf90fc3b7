using Microsoft.AspNetCore.Identity;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.Opaque;

namespace Tessera.Server.Tokens.Revocation;

/// <summary>
/// Everything a user holds ends: a password change, disabling, deleting or an administrator's "revoke" call. Every
/// refresh-token family (at every client, with the access tokens issued from them), every personal access token and
/// every session on every node; and Identity's security stamp changes, so anything bound to the old stamp fails too.
/// </summary>
internal sealed class UserRevocation(TokenRevoker revoker, PersonalAccessTokenStore personalAccessTokens, SessionStore sessions)
{
    public async Task RevokeEverythingAsync(UserManager<TesseraUser> users, TesseraUser user, CancellationToken cancellationToken)
    {
        // Sessions first: a stolen cookie is the fastest way back in while the rest is being revoked.
        await sessions.EndAllAsync(user.Id, cancellationToken);
        await revoker.RevokeUserGrantsAsync(user.Id, cancellationToken);
        await personalAccessTokens.RevokeAllAsync(user.Id, cancellationToken);
        await users.UpdateSecurityStampAsync(user);
    }
}
