using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Tessera.Server.Admin;
using Tessera.Server.Audit;
using Tessera.Server.Catalog;
using Tessera.Server.Import;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Areas.Console.Pages.Roles;

/// <summary>
/// The roles with their permissions (the admin API's own view) and how many users hold each; a new role through the
/// admin API's own creation (the import's role rules, the privilege ceiling, the audit event).
/// </summary>
[ConsoleArea("roles")]
internal sealed class IndexModel(RoleManager<TesseraRole> roles, TesseraDbContext db, SnapshotCache snapshots, AdminPrivilegeCeiling ceiling)
    : ConsolePageModel
{
    [BindProperty] public RoleForm Form { get; set; } = new();

    public IReadOnlyList<ImportedRole> Roles { get; private set; } = [];
    public IReadOnlyDictionary<string, int> Members { get; private set; } = new Dictionary<string, int>();
    public IReadOnlyList<string> Scopes => RoleForm.GrantableScopes(snapshots);

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var role = Form.ToImported();
        var answer = await ChangeAsync(AuditEventTypes.RoleCreated, AuditJoin.AfterSuccess, AuditTarget.Named(role.Name ?? ""),
            async () => (await AdminRoles.CreateRoleAsync(role, HttpContext, roles, snapshots, ceiling)).Result);
        if (answer is JsonCreated<ImportedRole> created) return RedirectToPage("/Roles/Role", new { name = created.Value.Name });
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        Roles = (await AdminRoles.ListAsync(roles, cancellationToken)).Value.Roles;
        Members = await RoleForm.MemberCountsAsync(db, cancellationToken);
    }
}
