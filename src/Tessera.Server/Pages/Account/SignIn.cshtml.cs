using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;
using Tessera.Server.Throttling;
using Tessera.Server.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Username and password through ASP.NET Core Identity; starts the session cookie. Failures are throttled per username
/// and IP (<see cref="SignInThrottle"/>) instead of locking the account, and every failure answers alike.
/// </summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(RequestRateLimits.PasskeyCeremony)]
internal sealed partial class SignInModel(
    SignInManager<TesseraUser> signIn, UserManager<TesseraUser> users, TimeProvider clock, IssuerUrls urls, SnapshotCache snapshots,
    Microsoft.Extensions.Options.IOptions<TesseraOptions> options, ExternalIdentities.ExternalProviderList providers,
    SignInThrottle throttle, SignInEvents events, IStringLocalizer<PageText> text) : PageModel
{
    private string WrongCredentials => text["The username or password is not correct."];

    [BindProperty] public string Username { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Problem { get; private set; }
    public bool RegistrationOpen => options.Value.Users.SelfRegistration;
    public IReadOnlyList<ExternalIdentities.ExternalProviderButton> ExternalProviders => providers.Buttons;

    /// <summary>OIDC Core §3.1.2.1: login_hint pre-fills the username.</summary>
    public void OnGet([FromQuery(Name = "login_hint")] string? loginHint)
    {
        Username = loginHint ?? "";
        AllowRedirectToClient();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // Decided before the username is looked up, so a throttled answer is the same for real and unknown usernames.
        var attempt = await throttle.BeginAsync(Username, HttpContext.Connection.RemoteIpAddress, HttpContext.RequestAborted);
        if (attempt.Refused)
        {
            events.Locked(HttpContext, null, Username, Telemetry.SignInOutcomes.Password);
            return TooManyAttempts(attempt.RetryAfterSeconds);
        }

        var user = string.IsNullOrEmpty(Username) ? null : await users.FindByNameAsync(Username);
        if (user is null)
        {
            // Hash anyway, so the response time does not tell which usernames exist.
            users.PasswordHasher.HashPassword(new TesseraUser(), Password);
            events.Failed(HttpContext, null, Username, Telemetry.SignInOutcomes.Password);
            return Refuse(WrongCredentials);
        }

        // No lockout an attacker could trigger; a lockout set earlier (or by an administrator) answers like a wrong
        // password, after the same hashing work, so it tells nothing either.
        var result = await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: false);
        if (result.IsLockedOut || result.IsNotAllowed) users.PasswordHasher.HashPassword(new TesseraUser(), Password);
        // A disabled user gets the words of a wrong password: the page does not tell who is disabled.
        if (!result.Succeeded || user.DisabledAt is not null)
        {
            events.Failed(HttpContext, user, Username, Telemetry.SignInOutcomes.Password);
            return Refuse(WrongCredentials);
        }
        await throttle.SucceededAsync(attempt);

        // Two-factor users get no session yet: only a short-lived proof of the password, for the code page — or, where a
        // second factor is required (Tessera:Mfa:Required always, or the user's requireMfa) and missing, for setting one up.
        // A browser the user asked to remember (Tessera:Mfa:RememberBrowser) is spared the code; its session says pwd only.
        var remembered = await RememberedBrowser.IsAsync(HttpContext, users, user, options.Value.Mfa);
        var hasSecondFactor = await SecondFactors.HasAnyAsync(users, user);
        if (!remembered && (hasSecondFactor || SecondFactorRequirement.AppliesTo(user, options.Value.Mfa)))
        {
            await HttpContext.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, SecondFactorPending.For(user));
            events.SecondFactorRequired(HttpContext, user);
            return hasSecondFactor
                ? RedirectToPage("/Account/TwoFactor", new { returnUrl = ReturnUrl })
                : RedirectToPage("/Account/SecondFactorSetup", new { returnUrl = ReturnUrl });
        }

        await signIn.SignInWithClaimsAsync(user, isPersistent: false, SessionClaims.ForPasswordSignIn(clock));
        events.Succeeded(HttpContext, user, Telemetry.SignInOutcomes.Password);
        // Only a local URL: the sign-in page must not become an open redirector.
        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : RedirectToPage("/Account/SignedIn");
    }

    /// <summary>RFC 6585 §4: 429 with Retry-After; the same text whether or not the username exists.</summary>
    private PageResult TooManyAttempts(int retryAfterSeconds)
    {
        TooManyRequests.SetRetryAfter(Response, retryAfterSeconds);
        return Refuse(text["Too many failed sign-ins. Try again later."], StatusCodes.Status429TooManyRequests);
    }

    private PageResult Refuse(string problem, int status = StatusCodes.Status400BadRequest)
    {
        Problem = problem;
        Password = "";
        Response.StatusCode = status;
        AllowRedirectToClient();
        return Page();
    }

    /// <summary>
    /// When consent is already given (or not required), the POST ends in a redirect to the client's registered
    /// redirect URI, and browsers check form-action along the whole redirect chain: list that origin, as consent does.
    /// </summary>
    private void AllowRedirectToClient()
    {
        var redirectUri = AuthorizationReturnUrl.RedirectUriOf(ReturnUrl, Url, urls, snapshots);
        // The provider buttons' POSTs redirect to the providers: their origins too.
        PageSecurityHeaders.Apply(Response, [redirectUri, .. providers.Buttons.Select(b => b.FormOrigin)]);
    }
}
