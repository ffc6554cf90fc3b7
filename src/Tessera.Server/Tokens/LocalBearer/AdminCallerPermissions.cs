using System.Security.Claims;
using Tessera.Server.Catalog;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// The admin permissions a caller of the admin API holds at this moment. A client's own token: the admin scopes it
/// carries. A user's token: those it carries that the user's roles still carry — a role taken away a moment ago opens
/// nothing more on any node, however long the token has left to live.
/// </summary>
internal sealed class AdminCallerPermissions(UserPermissions permissions)
{
    public async Task<IReadOnlySet<string>> OfAsync(ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        var scopes = SpaceDelimited.Split(caller.FindFirstValue(Claims.Scope)).Where(BuiltInApi.IsAdminScope).ToHashSet(StringComparer.Ordinal);
        if (scopes.Count == 0 || caller.IsClientsOwnToken()) return scopes;
        scopes.IntersectWith(await permissions.OfAsync(caller.Subject(), cancellationToken));
        return scopes;
    }
}
