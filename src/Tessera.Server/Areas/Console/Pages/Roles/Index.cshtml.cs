using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Admin;
using Tessera.Server.Import;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Areas.Console.Pages.Roles;

/// <summary>The roles with their permissions (the admin API's own view) and how many users hold each.</summary>
[ConsoleArea("roles")]
internal sealed class IndexModel(RoleManager<TesseraRole> roles, TesseraDbContext db) : ConsolePageModel
{
    public IReadOnlyList<ImportedRole> Roles { get; private set; } = [];
    public IReadOnlyDictionary<string, int> Members { get; private set; } = new Dictionary<string, int>();

    public async Task OnGetAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        Roles = (await AdminRoles.ListAsync(roles, cancellationToken)).Value.Roles;
        Members = await (from userRole in db.UserRoles
                         join role in db.Roles on userRole.RoleId equals role.Id
                         group userRole by role.Name into members
                         select new { Name = members.Key, Count = members.Count() })
            .ToDictionaryAsync(m => m.Name ?? "", m => m.Count, cancellationToken);
    }
}
