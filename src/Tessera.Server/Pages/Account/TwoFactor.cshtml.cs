using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;
using Tessera.Server.Throttling;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// The second step of a two-factor sign-in: a code from the authenticator app (each accepted once, RFC 6238 §5.2) or
/// one of the recovery codes (each once). Wrong codes are counted per user on every node (<see cref="SecondFactorThrottle"/>).
/// Only a right code starts the session, with amr pwd, otp and mfa. It is also the step-up of a session that has not
/// given a second factor yet (a request that needs one, OIDC Core §3.1.2.1 acr_values or the client's requireMfa):
/// the signed-in user gives a code, not the password again, and the session starts anew with auth_time now. One of the
/// user's passkeys does as well as a code (TwoFactor's passkey handlers; amr pwd with hwk|swk, user, mfa).
/// </summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(RequestRateLimits.PasskeyCeremony)]
internal sealed class TwoFactorModel(
    SignInManager<TesseraUser> signIn, UserManager<TesseraUser> users, SecondFactorThrottle throttle, TimeProvider clock, IssuerUrls urls,
    SnapshotCache snapshots, IOptions<TesseraOptions> options, SignInEvents events, ILogger<TwoFactorModel> logger, IStringLocalizer<PageText> text) : PageModel
{
    private string WrongCode => text["The code is not correct."];

    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? RecoveryCode { get; set; }
    [BindProperty] public bool RememberBrowser { get; set; }

    /// <summary>Tessera:Mfa:RememberBrowser in whole days, or 0 when the box is not offered.</summary>
    public int RememberBrowserDays => (int)options.Value.Mfa.RememberBrowser.TotalDays;
    public bool RememberBrowserOffered => options.Value.Mfa.RememberBrowser > TimeSpan.Zero;
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Problem { get; private set; }

    /// <summary>Which second factors the user has: the page offers those.</summary>
    public bool HasAuthenticator { get; private set; }
    public bool HasPasskey { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await PendingUserAsync() is not { } user) return BackToPassword();
        await LoadAsync(user);
        AllowRedirectToClient();
        return Page();
    }

    /// <summary>WebAuthn options for this user's passkeys only: the password (or the session) already named the account.</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync([FromServices] PasskeyCeremony passkeys)
    {
        if (await PendingUserAsync() is not { DisabledAt: null } user) return BackToPassword();
        return await passkeys.RequestOptionsAsync(HttpContext, user);
    }

    /// <summary>A passkey as the second factor: it must be one of the pending user's, answering a challenge begun for them.</summary>
    public async Task<IActionResult> OnPostPasskeyAsync([FromForm] string? credential, [FromServices] PasskeyCeremony passkeys)
    {
        if (await PendingUserAsync() is not { DisabledAt: null } user) return BackToPassword();
        if (await passkeys.SignInAsync(HttpContext, user, credential) is not var (_, passkey))
        {
            events.Failed(HttpContext, user, null, Telemetry.SignInOutcomes.SecondFactor);
            return await RefuseAsync(user, text["The passkey could not be checked. Try again."]);
        }
        return await CompleteAsync(user, PasskeyMethods.Of(passkey), "passkey", rememberBrowser: false);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // The proof of the password lives five minutes in this browser; without it (or a session to step up) there is nothing to complete.
        if (await PendingUserAsync() is not { DisabledAt: null } user) return BackToPassword();

        var answer = await SecondFactorAnswer.CheckAsync(users, throttle, logger, user, Code, RecoveryCode, HttpContext.RequestAborted);
        if (answer.Throttled)
        {
            TooManyRequests.SetRetryAfter(Response, answer.RetryAfterSeconds);
            events.Locked(HttpContext, user, null, Telemetry.SignInOutcomes.SecondFactor);
            return await RefuseAsync(user, text["Too many wrong codes. Try again later."], StatusCodes.Status429TooManyRequests);
        }
        if (!answer.Right)
        {
            events.Failed(HttpContext, user, null, Telemetry.SignInOutcomes.SecondFactor);
            return await RefuseAsync(user, WrongCode);
        }
        return await CompleteAsync(user, ["otp", "mfa"], answer.ByRecoveryCode ? "recovery code" : "authenticator", RememberBrowser);
    }

    /// <summary>The second factor is given: the pending sign-in (or the session being stepped up) becomes a new session.</summary>
    private async Task<IActionResult> CompleteAsync(TesseraUser user, IReadOnlyList<string> secondFactor, string method, bool rememberBrowser)
    {
        // The first factor as the pending sign-in recorded it (a password, or an external provider), or for a step-up as
        // the session began.
        var pending = await SecondFactorPending.ReadAsync(HttpContext);
        var firstFactor = pending?.FirstFactor ?? SpaceDelimited.Split(SessionClaims.AmrOf(User));
        var provider = pending is { } p ? p.IdentityProvider : User.FindFirst(SessionClaims.IdentityProvider)?.Value;
        // The password's proof, or the session being stepped up, gives way to the new session.
        await signIn.SignOutAsync();
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, SessionClaims.ForSecondFactorSignIn(clock, firstFactor, provider, secondFactor));
        AccountSecurityLog.SecondFactorSignIn(logger, user.Id, method);
        events.Succeeded(HttpContext, user, Telemetry.SignInOutcomes.SecondFactor);
        if (rememberBrowser && RememberBrowserOffered) await signIn.RememberTwoFactorClientAsync(user);
        // Only a local URL: this page must not become an open redirector.
        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : RedirectToPage("/Account/SignedIn");
    }

    /// <summary>Whose code this is: the user whose password was just right, else the signed-in user with a second factor to give.</summary>
    private async Task<TesseraUser?> PendingUserAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is { } afterPassword) return afterPassword;
        return await users.GetUserAsync(User) is { } signedIn && await SecondFactors.HasAnyAsync(users, signedIn) ? signedIn : null;
    }

    private RedirectToPageResult BackToPassword() => RedirectToPage("/Account/SignIn", new { returnUrl = ReturnUrl });

    private async Task LoadAsync(TesseraUser user)
    {
        HasAuthenticator = await users.GetTwoFactorEnabledAsync(user);
        HasPasskey = (await users.GetPasskeysAsync(user)).Count > 0;
    }

    private async Task<PageResult> RefuseAsync(TesseraUser user, string problem, int status = StatusCodes.Status400BadRequest)
    {
        await LoadAsync(user);
        Problem = problem;
        Code = null;
        RecoveryCode = null;
        Response.StatusCode = status;
        AllowRedirectToClient();
        return Page();
    }

    /// <summary>As on the sign-in page: the POST may end at the client's redirect URI, which form-action must list.</summary>
    private void AllowRedirectToClient() =>
        PageSecurityHeaders.Apply(Response, [AuthorizationReturnUrl.RedirectUriOf(ReturnUrl, Url, urls, snapshots)]);
}
