using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.Revocation;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// The mailed reset link: Identity's reset token (Data Protection, bound to the user and to the security stamp) sets a
/// new password. The new password changes the stamp, so the link works once; it expires after Tessera:Email:LinkLifetime.
/// Like a password change, a reset ends every session and token of the account — whoever knew the old password is out —
/// and it signs nobody in: the next sign-in still asks for the second factor.
/// </summary>
internal sealed class ResetPasswordModel(
    UserManager<TesseraUser> users, UserRevocation revocation, ILogger<ResetPasswordModel> logger, IStringLocalizer<PageText> text) : PageModel
{
    private string InvalidLink => text["This link is not valid any more: it was used, it expired, or a newer one was sent. Ask for a new one."];

    [BindProperty(SupportsGet = true, Name = "user")] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    public bool Done { get; private set; }
    public IReadOnlyList<string> Problems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync() =>
        await FindValidAsync() is null ? RefuseLink() : Page();

    public async Task<IActionResult> OnPostAsync([FromServices] Audit.AuditTrail audit, [FromServices] Storage.TesseraDbContext db)
    {
        if (await FindValidAsync() is not { } user) return RefuseLink();
        if (string.IsNullOrEmpty(NewPassword)) return Refuse([text["Enter a new password."]]);

        // In the user store's own context: saved by the same SaveChanges as the new hash, or not at all.
        var audited = audit.Add(db, new Audit.AuditEntry(Audit.AuditEventTypes.PasswordChanged)
        {
            UserId = user.Id, Actor = user.Id, Details = new Dictionary<string, string?> { ["username"] = user.UserName, ["via"] = "reset link" },
        }, HttpContext);
        var reset = await users.ResetPasswordAsync(user, Code!, NewPassword);
        // Two parallel posts of one link: the first changed the stamp, the second's token check fails here.
        if (!reset.Succeeded)
        {
            db.Entry(audited).State = Microsoft.EntityFrameworkCore.EntityState.Detached;
            return reset.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                ? RefuseLink() : Refuse(reset.Errors.Select(e => e.Description).ToList());
        }

        // The link came to this address: it is the owner's.
        if (!user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
        }
        await revocation.RevokeEverythingAsync(users, user, CancellationToken.None);
        AccountSecurityLog.PasswordResetCompleted(logger, user.Id);
        Done = true;
        Code = null;
        return Page();
    }

    /// <summary>The user the link names, when the link is still good for them (and they are not disabled).</summary>
    private async Task<TesseraUser?> FindValidAsync()
    {
        if (string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Code)) return null;
        var user = await users.FindByIdAsync(UserId);
        if (user is null || user.DisabledAt is not null) return null;
        var valid = await users.VerifyUserTokenAsync(
            user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<TesseraUser>.ResetPasswordTokenPurpose, Code);
        return valid ? user : null;
    }

    /// <summary>No form for a dead link: only the way to a new one.</summary>
    private PageResult RefuseLink()
    {
        Code = null;
        return Refuse([InvalidLink]);
    }

    private PageResult Refuse(IReadOnlyList<string> problems)
    {
        Problems = problems;
        NewPassword = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
