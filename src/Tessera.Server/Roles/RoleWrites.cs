using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Roles;

/// <summary>
/// The two writes of roles, shared by the import and the admin API: a role's permissions become exactly the given set,
/// and a user's roles become exactly the given set (role names compare as ASP.NET Core Identity compares them, ignoring case).
/// </summary>
internal static class RoleWrites
{
    public static async Task<IdentityResult> SetPermissionsAsync(RoleManager<TesseraRole> roles, TesseraRole role, IEnumerable<string> permissions)
    {
        var wanted = permissions.Distinct(StringComparer.Ordinal).ToList();
        var held = (await roles.GetClaimsAsync(role)).Where(c => c.Type == TesseraRole.PermissionClaimType).ToList();
        foreach (var gone in held.Where(c => !wanted.Contains(c.Value)))
        {
            var removed = await roles.RemoveClaimAsync(role, gone);
            if (!removed.Succeeded) return removed;
        }
        foreach (var permission in wanted.Where(p => !held.Any(c => c.Value == p)))
        {
            var added = await roles.AddClaimAsync(role, new Claim(TesseraRole.PermissionClaimType, permission));
            if (!added.Succeeded) return added;
        }
        return IdentityResult.Success;
    }

    public static async Task<IdentityResult> SetUserRolesAsync(UserManager<TesseraUser> users, TesseraUser user, IEnumerable<string> wanted)
    {
        var names = wanted.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var held = await users.GetRolesAsync(user);
        var removed = held.Where(r => !names.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        var added = names.Where(r => !held.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        var result = removed.Count > 0 ? await users.RemoveFromRolesAsync(user, removed) : IdentityResult.Success;
        if (result.Succeeded && added.Count > 0) result = await users.AddToRolesAsync(user, added);
        return result;
    }
}
