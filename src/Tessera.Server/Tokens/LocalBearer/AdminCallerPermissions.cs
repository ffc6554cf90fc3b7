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
    private static readonly object ItemKey = new();

    /// <summary>The request's caller, read once per request: the policy and the privilege ceiling both ask.</summary>
    public Task<IReadOnlySet<string>> OfAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var known) && known is Task<IReadOnlySet<string>> read) return read;
        var reading = OfAsync(context.User, context.RequestAborted);
        context.Items[ItemKey] = reading;
        return reading;
    }

    /// <summary>
    /// The console's caller is a session, not a token: it holds what the user's roles give (read by the console's own
    /// check), and the privilege ceiling reads that here as it reads a token's scopes.
    /// </summary>
    public static void RememberForSession(HttpContext context, IReadOnlySet<string> adminPermissions) =>
        context.Items[ItemKey] = Task.FromResult(adminPermissions);

    public async Task<IReadOnlySet<string>> OfAsync(ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        var scopes = SpaceDelimited.Split(caller.FindFirstValue(Claims.Scope)).Where(BuiltInApi.IsAdminScope).ToHashSet(StringComparer.Ordinal);
        if (scopes.Count == 0 || caller.IsClientsOwnToken()) return scopes;
        scopes.IntersectWith(await permissions.OfAsync(caller.Subject(), cancellationToken));
        return scopes;
    }
}
