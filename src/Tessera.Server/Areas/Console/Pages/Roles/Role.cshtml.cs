using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Admin;
using Tessera.Server.Audit;
using Tessera.Server.Catalog;
using Tessera.Server.Import;
using Tessera.Server.Responses;
using Tessera.Server.Roles;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Areas.Console.Pages.Roles;

/// <summary>
/// One role: its description and permissions changed through the admin API's own replacement (a permission taken away
/// ends the members' personal access tokens that carry it), and a delete that first says what it ends.
/// </summary>
[ConsoleArea("roles")]
internal sealed class RoleModel(
    RoleManager<TesseraRole> roles, UserManager<TesseraUser> users, TesseraDbContext db, SnapshotCache snapshots,
    PersonalAccessTokenCoverage coverage, AdminPrivilegeCeiling ceiling) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";
    [BindProperty] public RoleForm Form { get; set; } = new();

    public ImportedRole? Role { get; private set; }
    public int Members { get; private set; }
    public IReadOnlyList<string> Scopes => RoleForm.GrantableScopes(snapshots);

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (!await LoadAsync(keepForm: true)) return NotFound();
        var role = Form.ToImported() with { Name = Role!.Name };
        var answer = await ChangeAsync(AuditEventTypes.RoleUpdated, AuditJoin.AfterSuccess, AuditTarget.Named(Name),
            async () => (await AdminRoles.ReplaceRoleAsync(Name, role, HttpContext, roles, users, snapshots, coverage, ceiling)).Result);
        if (answer is JsonOk<ImportedRole>)
        {
            Notice = Text["The role is saved."];
            await LoadAsync();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(bool confirmed)
    {
        if (!await LoadAsync()) return NotFound();
        if (!confirmed) return Confirm("delete");
        var answer = await ChangeAsync(AuditEventTypes.RoleDeleted, AuditJoin.AfterSuccess, AuditTarget.Named(Name),
            async () => (await AdminRoles.DeleteAsync(Name, HttpContext, roles, users, coverage, ceiling)).Result);
        return answer is Microsoft.AspNetCore.Http.HttpResults.NoContent ? RedirectToPage("/Roles/Index") : Page();
    }

    private async Task<bool> LoadAsync(bool keepForm = false)
    {
        if (await AdminRoles.GetAsync(Name, roles) is not { Result: JsonOk<ImportedRole> found }) return false;
        Role = found.Value;
        if (!keepForm) Form = RoleForm.Of(Role);
        // This role's members only: not a count of every role's, which reads every user's roles.
        var normalized = roles.NormalizeKey(Name);
        Members = await (from userRole in db.UserRoles
                         join role in db.Roles on userRole.RoleId equals role.Id
                         where role.NormalizedName == normalized
                         select userRole).CountAsync(HttpContext.RequestAborted);
        return true;
    }
}
