using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Users;

/// <summary>
/// The permissions (scope names) a user holds through their roles, read from the database at each grant, so a role
/// removed a moment ago is gone from the next token. Only grants that involve an API with <c>userAccess: rbac</c> ask.
/// </summary>
internal sealed class UserPermissions(ITesseraDbContextFactory databases)
{
    public async Task<IReadOnlySet<string>> OfAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        var permissions = await (
            from userRole in db.UserRoles
            where userRole.UserId == userId
            join claim in db.RoleClaims on userRole.RoleId equals claim.RoleId
            where claim.ClaimType == TesseraRole.PermissionClaimType
            select claim.ClaimValue).Distinct().ToListAsync(cancellationToken);
        return permissions.OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The user's roles with the permissions each carries.</summary>
    public async Task<ILookup<string, string>> RolesAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        var rows = await (
            from userRole in db.UserRoles
            where userRole.UserId == userId
            join role in db.Roles on userRole.RoleId equals role.Id
            join claim in db.RoleClaims.Where(c => c.ClaimType == TesseraRole.PermissionClaimType) on role.Id equals claim.RoleId into claims
            from claim in claims.DefaultIfEmpty()
            select new { role.Name, Permission = claim == null ? null : claim.ClaimValue }).ToListAsync(cancellationToken);
        return rows.Where(r => r.Name is not null).ToLookup(r => r.Name!, r => r.Permission ?? "", StringComparer.Ordinal);
    }

    /// <summary>Whether the subject is a user (and not a client, whose own tokens carry its client_id as sub, RFC 9068 §2.2).</summary>
    public async Task<bool> IsUserAsync(string subject, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        return await db.Users.AnyAsync(u => u.Id == subject, cancellationToken);
    }
}
