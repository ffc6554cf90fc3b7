using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Tessera.Server.Admin;
using Tessera.Server.Audit;
using Tessera.Server.Responses;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Areas.Console.Pages.Users;

/// <summary>A new user through the admin API's own creation: Identity's password rules and hasher, the audit event.</summary>
[ConsoleArea("users")]
internal sealed class NewModel(UserManager<TesseraUser> users) : ConsolePageModel
{
    [BindProperty] public string? Username { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Name { get; set; }

    /// <summary>Never shown back: a refused post asks for it again.</summary>
    [BindProperty] public string? Password { get; set; }

    public async Task<IActionResult> OnPostAsync()
    {
        var body = new AdminUsers.NewUser(Username, Password, string.IsNullOrWhiteSpace(Email) ? null : Email.Trim(), EmailVerified: false,
            string.IsNullOrWhiteSpace(Name) ? null : Name.Trim());
        var answer = await ChangeAsync(AuditEventTypes.UserCreated, AuditJoin.AfterSuccess, AuditTarget.None,
            async () => (await AdminUsers.CreateUserAsync(body, users)).Result);
        Password = null;
        return answer is JsonCreated<AdminUsers.CreatedUser> created ? RedirectToPage("/Users/User", new { username = created.Value.Username }) : Page();
    }
}
