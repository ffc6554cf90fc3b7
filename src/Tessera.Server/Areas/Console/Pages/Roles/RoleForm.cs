using Microsoft.EntityFrameworkCore;
using Tessera.Server.Catalog;
using Tessera.Server.Import;
using Tessera.Server.Storage;

namespace Tessera.Server.Areas.Console.Pages.Roles;

/// <summary>A role as the console edits it: name, description and its permissions (scope names), in the import's terms.</summary>
public sealed class RoleForm
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public List<string> Permissions { get; set; } = [];

    public static RoleForm Of(ImportedRole role) => new() { Name = role.Name, Description = role.Description, Permissions = role.Permissions ?? [] };

    public ImportedRole ToImported() => new()
    {
        Name = string.IsNullOrWhiteSpace(Name) ? null : Name.Trim(),
        Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
        Permissions = [.. Permissions.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.Ordinal)],
    };

    /// <summary>Every scope a role may carry: the APIs' scopes and Tessera's own (the import's role rules check the same).</summary>
    internal static IReadOnlyList<string> GrantableScopes(SnapshotCache snapshots) =>
        [.. snapshots.Current.Catalog.ApisByScope.Keys.Order(StringComparer.Ordinal)];

    internal static async Task<IReadOnlyDictionary<string, int>> MemberCountsAsync(TesseraDbContext db, CancellationToken cancellationToken) =>
        await (from userRole in db.UserRoles
               join role in db.Roles on userRole.RoleId equals role.Id
               group userRole by role.Name into members
               select new { Name = members.Key, Count = members.Count() })
            .ToDictionaryAsync(m => m.Name ?? "", m => m.Count, cancellationToken);
}
