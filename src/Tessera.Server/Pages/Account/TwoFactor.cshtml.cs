using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;
using Tessera.Server.Throttling;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// The second step of a two-factor sign-in: a code from the authenticator app (each accepted once, RFC 6238 §5.2) or
/// one of the recovery codes (each once). Wrong codes are counted per user on every node (<see cref="SecondFactorThrottle"/>).
/// Only a right code starts the session, with amr pwd, otp and mfa. It is also the step-up of a session that has not
/// given a second factor yet (a request that needs one, OIDC Core §3.1.2.1 acr_values or the client's requireMfa):
/// the signed-in user gives a code, not the password again, and the session starts anew with auth_time now.
/// </summary>
internal sealed class TwoFactorModel(
    SignInManager<TesseraUser> signIn, UserManager<TesseraUser> users, SecondFactorThrottle throttle, TimeProvider clock, IssuerUrls urls,
    SnapshotCache snapshots, IOptions<TesseraOptions> options, ILogger<TwoFactorModel> logger) : PageModel
{
    private const string WrongCode = "The code is not correct.";

    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? RecoveryCode { get; set; }
    [BindProperty] public bool RememberBrowser { get; set; }

    /// <summary>Tessera:Mfa:RememberBrowser in whole days, or 0 when the box is not offered.</summary>
    public int RememberBrowserDays => (int)options.Value.Mfa.RememberBrowser.TotalDays;
    public bool RememberBrowserOffered => options.Value.Mfa.RememberBrowser > TimeSpan.Zero;
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await PendingUserAsync() is null) return BackToPassword();
        AllowRedirectToClient();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // The proof of the password lives five minutes in this browser; without it (or a session to step up) there is nothing to complete.
        if (await PendingUserAsync() is not { DisabledAt: null } user) return BackToPassword();

        var answer = await SecondFactorAnswer.CheckAsync(users, throttle, logger, user, Code, RecoveryCode, HttpContext.RequestAborted);
        if (answer.Throttled)
        {
            TooManyRequests.SetRetryAfter(Response, answer.RetryAfterSeconds);
            return Refuse("Too many wrong codes. Try again later.", StatusCodes.Status429TooManyRequests);
        }
        if (!answer.Right) return Refuse(WrongCode);

        // The first factor as the pending sign-in recorded it (a password, or an external provider), or for a step-up as
        // the session began.
        var pending = await SecondFactorPending.ReadAsync(HttpContext);
        var firstFactor = pending?.FirstFactor ?? SpaceDelimited.Split(SessionClaims.AmrOf(User));
        var provider = pending is { } p ? p.IdentityProvider : User.FindFirst(SessionClaims.IdentityProvider)?.Value;
        // The password's proof, or the session being stepped up, gives way to the new session.
        await signIn.SignOutAsync();
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, SessionClaims.ForSecondFactorSignIn(clock, firstFactor, provider));
        AccountSecurityLog.SecondFactorSignIn(logger, user.Id, answer.ByRecoveryCode ? "recovery code" : "authenticator");
        if (RememberBrowser && RememberBrowserOffered) await signIn.RememberTwoFactorClientAsync(user);
        // Only a local URL: this page must not become an open redirector.
        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : RedirectToPage("/Account/SignedIn");
    }

    /// <summary>Whose code this is: the user whose password was just right, else the signed-in user with a second factor to give.</summary>
    private async Task<TesseraUser?> PendingUserAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is { } afterPassword) return afterPassword;
        return await users.GetUserAsync(User) is { } signedIn && await users.GetTwoFactorEnabledAsync(signedIn) ? signedIn : null;
    }

    private RedirectToPageResult BackToPassword() => RedirectToPage("/Account/SignIn", new { returnUrl = ReturnUrl });

    private PageResult Refuse(string problem, int status = StatusCodes.Status400BadRequest)
    {
        Problem = problem;
        Code = null;
        RecoveryCode = null;
        Response.StatusCode = status;
        AllowRedirectToClient();
        return Page();
    }

    /// <summary>As on the sign-in page: the POST may end at the client's redirect URI, which form-action must list.</summary>
    private void AllowRedirectToClient() =>
        PageSecurityHeaders.Apply(Response, [AuthorizationReturnUrl.Read(ReturnUrl, Url, urls, snapshots)?.RedirectUri]);
}
