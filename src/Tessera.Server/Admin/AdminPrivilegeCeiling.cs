using Tessera.Server.Catalog;
using Tessera.Server.Responses;
using Tessera.Server.Tokens.LocalBearer;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Admin;

/// <summary>
/// No administrator gives, takes away or acts on an admin permission they do not hold themselves. Without it, each part
/// of the admin API would open every other part: tessera:admin:users could set the password of a holder of
/// tessera:admin and sign in as them, tessera:admin:roles could put tessera:admin into a role and give it to itself,
/// and tessera:admin:clients could register a client with tessera:admin or replace an administrative client's secret.
/// So a change that concerns admin permissions — a role's, a user's through their roles, a client's scopes — needs the
/// caller to hold each of them now (<see cref="AdminCallerPermissions"/>); tessera:admin holds them all.
/// </summary>
internal sealed class AdminPrivilegeCeiling(AdminCallerPermissions callers)
{
    /// <summary>Null when the caller holds every admin permission among <paramref name="concerned"/>, else the 403 to answer.</summary>
    public async Task<ForbiddenError?> RefusalAsync(HttpContext context, IEnumerable<string> concerned)
    {
        var adminPermissions = concerned.Where(BuiltInApi.IsAdminScope).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (adminPermissions.Count == 0) return null;
        var held = await callers.OfAsync(context);
        if (held.Contains(BuiltInApi.AdminScope)) return null;
        if (adminPermissions.FirstOrDefault(p => !held.Contains(p)) is not { } missing) return null;
        // RFC 6750 §3.1: the request needs more privilege than the access token carries.
        return new ForbiddenError(OAuthError.InsufficientScope(
            $"the change concerns the admin permission '{missing}', which the caller does not hold: no administrator gives or takes away more than they hold", missing));
    }
}
