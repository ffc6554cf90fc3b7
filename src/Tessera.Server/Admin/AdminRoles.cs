using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Catalog;
using Tessera.Server.Import;
using Tessera.Server.Responses;
using Tessera.Server.Roles;
using Tessera.Server.Storage.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Admin;

/// <summary>
/// /admin/roles and /admin/users/{username}/roles: roles in the import file's format, validated by the same rules. A
/// change that takes a permission away from anyone ends the personal access tokens that carry it at once; refresh
/// tokens narrow at their next use, and new tokens follow the change immediately.
/// </summary>
internal static class AdminRoles
{
    public sealed record RoleList(IReadOnlyList<ImportedRole> Roles);

    public sealed record RoleAssignment(IReadOnlyList<string>? Roles);

    public static async Task<JsonOk<RoleList>> ListAsync(RoleManager<TesseraRole> roles, CancellationToken cancellationToken)
    {
        var all = await roles.Roles.AsNoTracking().OrderBy(r => r.NormalizedName).ToListAsync(cancellationToken);
        var shown = new List<ImportedRole>();
        foreach (var role in all) shown.Add(await ShowAsync(roles, role));
        return AdminCatalog.Ok(new RoleList(shown));
    }

    public static async Task<Results<JsonOk<ImportedRole>, NotFoundError>> GetAsync(string name, RoleManager<TesseraRole> roles) =>
        await roles.FindByNameAsync(name) is { } role ? AdminCatalog.Ok(await ShowAsync(roles, role)) : AdminCatalog.NotFound("role");

    public static async Task<Results<JsonCreated<ImportedRole>, BadRequestError, ForbiddenError>> CreateAsync(
        HttpContext context, RoleManager<TesseraRole> roles, SnapshotCache snapshots, AdminPrivilegeCeiling ceiling)
    {
        var (body, error) = await AdminCatalog.ReadAsync<ImportedRole>(context.Request);
        if (error is not null) return error;
        return await CreateRoleAsync(body!, context, roles, snapshots, ceiling);
    }

    /// <summary>The creation itself, for the admin API's JSON body and the console's form alike.</summary>
    public static async Task<Results<JsonCreated<ImportedRole>, BadRequestError, ForbiddenError>> CreateRoleAsync(
        ImportedRole body, HttpContext context, RoleManager<TesseraRole> roles, SnapshotCache snapshots, AdminPrivilegeCeiling ceiling)
    {
        if (Problems(body, snapshots) is { } problems) return problems;
        if (await ceiling.RefusalAsync(context, body.Permissions ?? []) is { } refused) return refused;
        if (await roles.FindByNameAsync(body.Name!) is not null)
            return AdminCatalog.Invalid([$"role '{body.Name}' already exists; update it with PUT /admin/roles/{body.Name}"]);

        var role = new TesseraRole { Name = body.Name, Description = body.Description };
        var result = await roles.CreateAsync(role);
        if (result.Succeeded) result = await RoleWrites.SetPermissionsAsync(roles, role, body.Permissions ?? []);
        if (!result.Succeeded) return Refused(result);
        return AdminCatalog.Created(await ShowAsync(roles, role));
    }

    public static async Task<Results<JsonOk<ImportedRole>, BadRequestError, NotFoundError, ForbiddenError>> ReplaceAsync(
        string name, HttpContext context, RoleManager<TesseraRole> roles, UserManager<TesseraUser> users, SnapshotCache snapshots,
        PersonalAccessTokenCoverage coverage, AdminPrivilegeCeiling ceiling)
    {
        var (body, error) = await AdminCatalog.ReadAsync<ImportedRole>(context.Request);
        if (error is not null) return error;
        return await ReplaceRoleAsync(name, body!, context, roles, users, snapshots, coverage, ceiling);
    }

    /// <summary>The replacement itself, for the admin API's JSON body and the console's form alike.</summary>
    public static async Task<Results<JsonOk<ImportedRole>, BadRequestError, NotFoundError, ForbiddenError>> ReplaceRoleAsync(
        string name, ImportedRole body, HttpContext context, RoleManager<TesseraRole> roles, UserManager<TesseraUser> users, SnapshotCache snapshots,
        PersonalAccessTokenCoverage coverage, AdminPrivilegeCeiling ceiling)
    {
        if (body.Name is { } named && !string.Equals(named, name, StringComparison.OrdinalIgnoreCase))
            return AdminCatalog.Invalid(["name in the body differs from the one in the path"]);
        var role = await roles.FindByNameAsync(name);
        if (role is null) return AdminCatalog.NotFound("role");
        if (Problems(body with { Name = role.Name }, snapshots) is { } problems) return problems;
        // The permissions given and the ones taken away: an unchanged one concerns no one.
        var before = await PermissionsOfAsync(roles, [role.Name!]);
        var after = (body.Permissions ?? []).ToHashSet(StringComparer.Ordinal);
        if (await ceiling.RefusalAsync(context, before.Except(after).Concat(after.Except(before))) is { } refused) return refused;

        role.Description = body.Description;
        var result = await roles.UpdateAsync(role);
        if (result.Succeeded) result = await RoleWrites.SetPermissionsAsync(roles, role, body.Permissions ?? []);
        if (!result.Succeeded) return Refused(result);
        await EndUncoveredAsync(coverage, await users.GetUsersInRoleAsync(role.Name!), context.RequestAborted);
        return AdminCatalog.Ok(await ShowAsync(roles, role));
    }

    public static async Task<Results<NoContent, BadRequestError, NotFoundError, ForbiddenError>> DeleteAsync(
        string name, HttpContext context, RoleManager<TesseraRole> roles, UserManager<TesseraUser> users, PersonalAccessTokenCoverage coverage,
        AdminPrivilegeCeiling ceiling)
    {
        var role = await roles.FindByNameAsync(name);
        if (role is null) return AdminCatalog.NotFound("role");
        if (await ceiling.RefusalAsync(context, await PermissionsOfAsync(roles, [role.Name!])) is { } refused) return refused;
        var members = await users.GetUsersInRoleAsync(role.Name!);
        var result = await roles.DeleteAsync(role);
        if (!result.Succeeded) return Refused(result);
        await EndUncoveredAsync(coverage, members, context.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>GET /admin/users/{username}/roles: the user's roles, by name.</summary>
    public static async Task<Results<JsonOk<RoleAssignment>, NotFoundError>> ShowAssignedAsync(string username, UserManager<TesseraUser> users) =>
        await users.FindByNameAsync(username) is { } user
            ? AdminCatalog.Ok(new RoleAssignment([.. (await users.GetRolesAsync(user)).Order(StringComparer.OrdinalIgnoreCase)]))
            : AdminCatalog.NotFound("user");

    /// <summary>PUT /admin/users/{username}/roles with {"roles": [...]}: the user holds exactly these roles afterwards.</summary>
    public static async Task<Results<JsonOk<RoleAssignment>, BadRequestError, NotFoundError, ForbiddenError>> AssignAsync(
        string username, HttpContext context, UserManager<TesseraUser> users, RoleManager<TesseraRole> roles, PersonalAccessTokenCoverage coverage,
        AdminPrivilegeCeiling ceiling)
    {
        var (body, error) = await AdminCatalog.ReadAsync<RoleAssignment>(context.Request);
        if (error is not null) return error;
        return await AssignRolesAsync(username, body!, context, users, roles, coverage, ceiling);
    }

    /// <summary>The assignment itself, for the admin API's JSON body and the console's form alike.</summary>
    public static async Task<Results<JsonOk<RoleAssignment>, BadRequestError, NotFoundError, ForbiddenError>> AssignRolesAsync(
        string username, RoleAssignment body, HttpContext context, UserManager<TesseraUser> users, RoleManager<TesseraRole> roles,
        PersonalAccessTokenCoverage coverage, AdminPrivilegeCeiling ceiling)
    {
        if (body.Roles is not { } wanted) return AdminCatalog.Invalid(["roles is required: the user's roles, [] for none"]);
        var user = await users.FindByNameAsync(username);
        if (user is null) return AdminCatalog.NotFound("user");
        var unknown = new List<string>();
        foreach (var role in wanted.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (role is null || await roles.FindByNameAsync(role) is null) unknown.Add($"roles: '{role}' is not a role");
        }
        if (unknown.Count > 0) return AdminCatalog.Invalid(unknown);
        // The roles given and the ones taken away, by what they carry.
        var held = await users.GetRolesAsync(user);
        var changed = held.Where(r => !wanted.Contains(r, StringComparer.OrdinalIgnoreCase))
            .Concat(wanted.Where(r => !held.Contains(r, StringComparer.OrdinalIgnoreCase)));
        if (await ceiling.RefusalAsync(context, await PermissionsOfAsync(roles, changed)) is { } refused) return refused;

        var result = await RoleWrites.SetUserRolesAsync(users, user, wanted);
        if (!result.Succeeded) return Refused(result);
        await EndUncoveredAsync(coverage, [user], context.RequestAborted);
        return AdminCatalog.Ok(new RoleAssignment([.. (await users.GetRolesAsync(user)).Order(StringComparer.OrdinalIgnoreCase)]));
    }

    private static BadRequestError? Problems(ImportedRole role, SnapshotCache snapshots)
    {
        var problems = new List<string>();
        RoleValidator.ValidateRole(role, "$", snapshots.Current.Catalog.ApisByScope.Keys.ToHashSet(StringComparer.Ordinal), problems);
        return problems.Count > 0 ? AdminCatalog.Invalid(problems) : null;
    }

    private static async Task<ImportedRole> ShowAsync(RoleManager<TesseraRole> roles, TesseraRole role) => new()
    {
        Name = role.Name,
        Description = role.Description,
        Permissions = [.. (await roles.GetClaimsAsync(role)).Where(c => c.Type == TesseraRole.PermissionClaimType).Select(c => c.Value).Order(StringComparer.Ordinal)],
    };

    /// <summary>Every permission the named roles carry.</summary>
    private static async Task<HashSet<string>> PermissionsOfAsync(RoleManager<TesseraRole> roles, IEnumerable<string> names)
    {
        var permissions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (await roles.FindByNameAsync(name) is { } role) permissions.UnionWith((await ShowAsync(roles, role)).Permissions ?? []);
        }
        return permissions;
    }

    private static Task<int> EndUncoveredAsync(PersonalAccessTokenCoverage coverage, IEnumerable<TesseraUser> users, CancellationToken cancellationToken) =>
        coverage.EndUncoveredAsync([.. users.Select(u => u.Id)], cancellationToken);

    private static BadRequestError Refused(IdentityResult result) =>
        new(OAuthError.InvalidRequest(string.Join(" ", result.Errors.Select(e => e.Description))));
}
