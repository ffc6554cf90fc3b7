using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Tessera.Server.Audit;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;
using Tessera.Server.Throttling;
using Tessera.Server.Tokens.Revocation;
using Tessera.Server.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// The password and the e-mail address on /account/security. Both need <see cref="AccountChangeProof"/>. A new password
/// ends every other session and token at once; a new address takes effect only when the link mailed to it is opened
/// (the old address is told), so a typo cannot lock the owner out of their recovery mail.
/// </summary>
internal sealed partial class SecurityModel
{
    public string? Email { get; private set; }
    public bool EmailVerified { get; private set; }
    public bool HasPassword { get; private set; }

    public async Task<IActionResult> OnPostPasswordAsync(
        [FromForm] string? currentPassword, [FromForm] string? newPassword,
        [FromServices] SignInManager<TesseraUser> signIn, [FromServices] SignInThrottle signInThrottle,
        [FromServices] UserRevocation revocation, [FromServices] TimeProvider clock,
        [FromServices] AuditTrail audit, [FromServices] Storage.TesseraDbContext db)
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        if (string.IsNullOrEmpty(newPassword)) return await ProblemAsync(user, text["Enter a new password."]);
        if (await RefusedProofAsync(user, currentPassword, signInThrottle, clock) is { } refused) return refused;

        // In the user store's own context: saved by the same SaveChanges as the new hash, or not at all.
        var audited = audit.Add(db, new AuditEntry(AuditEventTypes.PasswordChanged)
        {
            UserId = user.Id, Details = new Dictionary<string, string?> { ["username"] = user.UserName, ["via"] = "account" },
        }, HttpContext);
        var changed = await users.HasPasswordAsync(user)
            ? await users.ChangePasswordAsync(user, currentPassword!, newPassword)
            : await users.AddPasswordAsync(user, newPassword);
        if (!changed.Succeeded)
        {
            db.Entry(audited).State = Microsoft.EntityFrameworkCore.EntityState.Detached;
            return await ProblemAsync(user, string.Join(" ", changed.Errors.Select(e => e.Description)));
        }

        await revocation.RevokeEverythingAsync(users, user, CancellationToken.None);
        // This browser goes on in a new session that says how this one was signed in (a second factor stays given).
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, SessionClaims.AuthenticationOf(User));
        AccountSecurityLog.PasswordChanged(logger, user.Id);
        Notice = text["Your password is changed. Every other session and every token is signed out."];
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostEmailAsync(
        [FromForm] string? newEmail, [FromForm] string? currentPassword,
        [FromServices] SignInThrottle signInThrottle, [FromServices] AccountMailThrottle mailThrottle,
        [FromServices] AccountMail mail, [FromServices] TimeProvider clock)
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        var address = newEmail?.Trim();
        if (string.IsNullOrEmpty(address) || !System.Net.Mail.MailAddress.TryCreate(address, out _))
            return await ProblemAsync(user, text["Enter a valid e-mail address."]);
        if (string.Equals(users.NormalizeEmail(address), user.NormalizedEmail, StringComparison.Ordinal))
            return await ProblemAsync(user, text["That is already your e-mail address."]);
        if (await RefusedProofAsync(user, currentPassword, signInThrottle, clock) is { } refused) return refused;
        if (!await mailThrottle.MaySendAsync(users.NormalizeEmail(address), HttpContext.RequestAborted))
            return await ProblemAsync(user, text["Too many messages to that address. Try again later."], StatusCodes.Status429TooManyRequests);

        mail.EmailChange(user, address, await users.GenerateChangeEmailTokenAsync(user, address));
        if (user.Email is not null) mail.EmailChangeNotice(user, user.Email, address);
        AccountSecurityLog.EmailChangeRequested(logger, user.Id);
        Notice = text["A link is on its way to {0}. Your address changes when you open it.", address];
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync([FromServices] AccountMailThrottle mailThrottle, [FromServices] AccountMail mail)
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        if (user.Email is null) return await ProblemAsync(user, text["Your account has no e-mail address."]);
        if (user.EmailConfirmed) return await ProblemAsync(user, text["Your e-mail address is already verified."]);
        if (!await mailThrottle.MaySendAsync(user.NormalizedEmail!, HttpContext.RequestAborted))
            return await ProblemAsync(user, text["Too many messages to that address. Try again later."], StatusCodes.Status429TooManyRequests);
        mail.EmailVerification(user, user.Email, await EmailVerificationTokens.GenerateAsync(users, user));
        Notice = text["A link is on its way to {0}.", user.Email];
        await LoadAsync(user);
        return Page();
    }

    /// <summary>Null when the proof is given; otherwise the page that says why not.</summary>
    private async Task<IActionResult?> RefusedProofAsync(TesseraUser user, string? currentPassword, SignInThrottle signInThrottle, TimeProvider clock)
    {
        var proof = await AccountChangeProof.CheckAsync(users, signInThrottle, user, User, currentPassword, HttpContext, clock);
        switch (proof.Outcome)
        {
            case AccountChangeProof.Outcome.Given:
                return null;
            case AccountChangeProof.Outcome.Throttled:
                TooManyRequests.SetRetryAfter(Response, proof.RetryAfterSeconds);
                return await ProblemAsync(user, text["Too many wrong passwords. Try again later."], StatusCodes.Status429TooManyRequests);
            default:
                return await ProblemAsync(user, await users.HasPasswordAsync(user)
                    ? text["Your current password is not correct."]
                    : text["Sign in again (within the last five minutes) to make this change."]);
        }
    }
}
