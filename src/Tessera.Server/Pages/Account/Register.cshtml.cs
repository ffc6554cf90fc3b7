using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;
using Tessera.Server.Throttling;
using Tessera.Server.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Self-registration, off unless <c>Tessera:Users:SelfRegistration</c> is true (then 404, as if the page did not exist).
/// Passwords go through Identity's validators and hasher; the new user is signed in. Posts are limited per client IP
/// (<see cref="Throttling.RequestRateLimits.Registration"/>). An e-mail address given here is mailed a verification link.
/// </summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Throttling.RequestRateLimits.Registration)]
internal sealed class RegisterModel(
    UserManager<TesseraUser> users, SignInManager<TesseraUser> signIn, IOptions<TesseraOptions> options, TimeProvider clock,
    AccountMail mail, AccountMailThrottle mailThrottle, SignInEvents events, IStringLocalizer<PageText> text) : PageModel
{
    [BindProperty] public string Username { get; set; } = "";
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>The fields the problems are about (<see cref="IdentityErrorFields"/>): marked invalid, the others not.</summary>
    public IReadOnlySet<string> InvalidFields { get; private set; } = new HashSet<string>();

    private bool Enabled => options.Value.Users.SelfRegistration;

    public IActionResult OnGet() => Enabled ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!Enabled) return NotFound();
        if (string.IsNullOrWhiteSpace(Username)) return Refuse([text["A username is required."]], IdentityErrorFields.Username);
        if (Email is not null && !System.Net.Mail.MailAddress.TryCreate(Email, out _)) return Refuse([text["The e-mail address is not valid."]], IdentityErrorFields.Email);

        // An e-mail typed here is not verified: email_verified stays false until it is.
        var user = new TesseraUser { UserName = Username.Trim(), Email = string.IsNullOrWhiteSpace(Email) ? null : Email.Trim() };
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded) return Refuse(created.Errors.Select(e => e.Description).ToList(), [.. IdentityErrorFields.Of(created.Errors)]);
        if (user.Email is not null && await mailThrottle.MaySendAsync(user.NormalizedEmail!, HttpContext.RequestAborted))
            mail.EmailVerification(user, user.Email, await EmailVerificationTokens.GenerateAsync(users, user));

        await signIn.SignInWithClaimsAsync(user, isPersistent: false, SessionClaims.ForPasswordSignIn(clock));
        events.Succeeded(HttpContext, user, Telemetry.SignInOutcomes.Password);
        // Only a local URL: the page must not become an open redirector.
        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : RedirectToPage("/Account/SignedIn");
    }

    private PageResult Refuse(IReadOnlyList<string> problems, params string[] fields)
    {
        Problems = problems;
        InvalidFields = fields.ToHashSet(StringComparer.Ordinal);
        Password = "";
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
