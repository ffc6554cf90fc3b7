using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Tessera.Server.Storage.Users;
using Tessera.Server.Throttling;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// "Forgot password?": every account with the address (and not disabled) is mailed a one-use reset link. The answer is
/// the same whether any account has the address or not, and takes as long (the mail is queued, not sent in the request).
/// Posts are limited per IP, and mails per address on every node.
/// </summary>
[EnableRateLimiting(RequestRateLimits.AccountMail)]
internal sealed class ForgotPasswordModel(
    UserManager<TesseraUser> users, AccountMail mail, AccountMailThrottle throttle, ILogger<ForgotPasswordModel> logger, IStringLocalizer<PageText> text) : PageModel
{
    /// <summary>Addresses are not unique; more than a few accounts on one address is not a forgotten password.</summary>
    private const int MostAccountsPerAddress = 5;

    [BindProperty] public string? Email { get; set; }
    public bool Sent { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || !System.Net.Mail.MailAddress.TryCreate(Email.Trim(), out _))
        {
            Problem = text["Enter the e-mail address of your account."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var address = Email.Trim();
        var normalized = users.NormalizeEmail(address);
        // Counted before the lookup: the count must not depend on whether the address has an account.
        if (await throttle.MaySendAsync(normalized, HttpContext.RequestAborted))
        {
            var owners = await users.Users
                .Where(u => u.NormalizedEmail == normalized && u.DisabledAt == null)
                .Take(MostAccountsPerAddress)
                .ToListAsync(HttpContext.RequestAborted);
            foreach (var owner in owners)
            {
                mail.PasswordReset(owner, owner.Email!, await users.GeneratePasswordResetTokenAsync(owner));
                AccountSecurityLog.PasswordResetRequested(logger, owner.Id);
            }
        }
        Sent = true;
        return Page();
    }
}
