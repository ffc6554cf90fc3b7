using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Tessera.Server.Storage.Users;
using Tessera.Server.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// The mailed e-mail links. Without <c>email</c>: verify the account's current address (<see cref="EmailVerificationTokens"/>).
/// With it: the change the user asked for on /account/security — Identity's change token is bound to that new address,
/// and the change renews the security stamp, so the link works once. The GET shows a button and changes nothing: mail
/// scanners open links, and only a person should confirm.
/// </summary>
internal sealed class ConfirmEmailModel(UserManager<TesseraUser> users, ILogger<ConfirmEmailModel> logger, IStringLocalizer<PageText> text) : PageModel
{
    private string InvalidLink => text["This link is not valid any more: it was used, it expired, or the address changed since. Ask for a new one."];

    [BindProperty(SupportsGet = true, Name = "user")] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? Email { get; set; }
    public string? Notice { get; private set; }
    public string? Problem { get; private set; }

    public IActionResult OnGet() =>
        string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Code) ? Refuse() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Code)) return Refuse();
        var user = await users.FindByIdAsync(UserId);
        if (user is null || user.DisabledAt is not null) return Refuse();

        if (string.IsNullOrEmpty(Email))
        {
            if (!await EmailVerificationTokens.VerifyAsync(users, user, Code)) return Refuse();
            AccountSecurityLog.EmailVerified(logger, user.Id);
            return Done(text["{0} is verified.", user.Email!]);
        }

        // Sets the address, marks it verified and renews the security stamp (so this link dies).
        if (!(await users.ChangeEmailAsync(user, Email, Code)).Succeeded) return Refuse();
        AccountSecurityLog.EmailChanged(logger, user.Id);
        return Done(text["Your e-mail address is now {0}.", user.Email ?? ""]);
    }

    private PageResult Done(string notice)
    {
        Notice = notice;
        Code = null;
        return Page();
    }

    private PageResult Refuse()
    {
        Problem = InvalidLink;
        Code = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
