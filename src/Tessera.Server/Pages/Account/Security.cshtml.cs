using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Users;
using Tessera.Server.Throttling;
using Tessera.Server.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// The signed-in user's sign-in security (the password and e-mail handlers are in Security.Credentials.cs): set up an authenticator app (a new key as a QR code and as text, confirmed
/// by a first code), which turns on two-factor sign-in and shows ten recovery codes once; turn it off again with a
/// current code or a recovery code (wrong ones counted like at sign-in), after which the old key and codes work no more.
/// </summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(RequestRateLimits.PasskeyCeremony)]
internal sealed partial class SecurityModel(
    UserManager<TesseraUser> users, SecondFactorThrottle throttle, IOptions<TesseraOptions> options, PasskeyLastUses passkeyUses,
    ILogger<SecurityModel> logger, IStringLocalizer<PageText> text) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? RecoveryCode { get; set; }

    public bool TwoFactorEnabled { get; private set; }
    public int RecoveryCodesLeft { get; private set; }

    /// <summary>During setup: the new key, its otpauth URI and QR code.</summary>
    public AuthenticatorSetup? Setup { get; private set; }

    /// <summary>Tessera:Mfa:Required never: no new authenticator may be set up.</summary>
    public bool SetupOffered => options.Value.Mfa.Required != MfaRequirement.Never;

    /// <summary>Shown on the response that turned two-factor sign-in on, never again.</summary>
    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }
    public string? Notice { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        await LoadAsync(user);
        return Page();
    }

    /// <summary>A new key (the previous one, if any, stops working); two-factor sign-in stays off until a code confirms it.</summary>
    public async Task<IActionResult> OnPostSetupAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        if (await users.GetTwoFactorEnabledAsync(user)) return await ProblemAsync(user, text["Two-factor sign-in is already on; turn it off first."]);
        if (!SetupOffered) return await ProblemAsync(user, text["This server does not offer two-factor sign-in."]);
        Setup = await AuthenticatorSetup.NewAsync(users, user);
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        if (await users.GetTwoFactorEnabledAsync(user)) return await ProblemAsync(user, text["Two-factor sign-in is already on."]);
        if (!SetupOffered) return await ProblemAsync(user, text["This server does not offer two-factor sign-in."]);
        NewRecoveryCodes = await AuthenticatorSetup.ConfirmAsync(users, user, Code);
        if (NewRecoveryCodes is null)
        {
            Setup = await AuthenticatorSetup.CurrentAsync(users, user);
            return await ProblemAsync(user, text["The code is not correct. Check the time on your device and enter the current code."]);
        }
        AccountSecurityLog.AuthenticatorEnabled(logger, user.Id);
        Notice = text["Two-factor sign-in is on."];
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return SignIn();
        if (!await users.GetTwoFactorEnabledAsync(user)) return await ProblemAsync(user, text["Two-factor sign-in is off."]);

        // A session alone (a cookie copied from an unlocked computer) must not remove the second factor.
        var answer = await SecondFactorAnswer.CheckAsync(users, throttle, logger, user, Code, RecoveryCode, HttpContext.RequestAborted);
        if (answer.Throttled)
        {
            TooManyRequests.SetRetryAfter(Response, answer.RetryAfterSeconds);
            return await ProblemAsync(user, text["Too many wrong codes. Try again later."], StatusCodes.Status429TooManyRequests);
        }
        if (!answer.Right) return await ProblemAsync(user, text["The code is not correct."]);

        await SecondFactors.TurnOffAsync(users, user);
        AccountSecurityLog.TwoFactorDisabled(logger, user.Id);
        Notice = text["Two-factor sign-in is off."];
        await LoadAsync(user);
        return Page();
    }

    private async Task LoadAsync(TesseraUser user)
    {
        TwoFactorEnabled = await users.GetTwoFactorEnabledAsync(user);
        Email = user.Email;
        EmailVerified = user.EmailConfirmed;
        HasPassword = await users.HasPasswordAsync(user);
        await LoadPasskeysAsync(user, passkeyUses);
        RecoveryCodesLeft = TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0;
    }

    private async Task<PageResult> ProblemAsync(TesseraUser user, string problem, int status = StatusCodes.Status400BadRequest)
    {
        Problem = problem;
        Response.StatusCode = status;
        await LoadAsync(user);
        return Page();
    }

    private RedirectToPageResult SignIn() => RedirectToPage("/Account/SignIn", new { returnUrl = Url.Page("/Account/Security") });
}
