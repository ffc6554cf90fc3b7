using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;
using Tessera.Server.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Where Tessera:Mfa:Required is always, a sign-in by a user without a second factor stops here after the first
/// factor: the user sets up an authenticator (a new key, confirmed by its first code), sees the recovery codes once,
/// and only then gets a session — amr the first factor's, with otp and mfa. Nothing else opens before that.
/// </summary>
internal sealed class SecondFactorSetupModel(
    SignInManager<TesseraUser> signIn, UserManager<TesseraUser> users, TimeProvider clock, IssuerUrls urls, SnapshotCache snapshots,
    SignInEvents events, ILogger<SecondFactorSetupModel> logger, IStringLocalizer<PageText> text) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public AuthenticatorSetup? Setup { get; private set; }
    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }
    public string? Problem { get; private set; }

    /// <summary>Where "Continue" leads: the return URL when it is local, else the account page.</summary>
    public string ContinueUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : Url.Page("/Account/SignedIn")!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await PendingUserAsync() is not { } user) return BackToSignIn();
        if (await SecondFactors.HasAnyAsync(users, user)) return RedirectToPage("/Account/TwoFactor", new { returnUrl = ReturnUrl });
        AllowRedirectToClient();
        return Page();
    }

    public async Task<IActionResult> OnPostSetupAsync()
    {
        if (await PendingUserAsync() is not { } user) return BackToSignIn();
        if (await SecondFactors.HasAnyAsync(users, user)) return RedirectToPage("/Account/TwoFactor", new { returnUrl = ReturnUrl });
        Setup = await AuthenticatorSetup.NewAsync(users, user);
        AllowRedirectToClient();
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        if (await PendingUserAsync() is not { } user) return BackToSignIn();
        if (await SecondFactors.HasAnyAsync(users, user)) return RedirectToPage("/Account/TwoFactor", new { returnUrl = ReturnUrl });
        AllowRedirectToClient();
        NewRecoveryCodes = await AuthenticatorSetup.ConfirmAsync(users, user, Code);
        if (NewRecoveryCodes is null)
        {
            Setup = await AuthenticatorSetup.CurrentAsync(users, user);
            Problem = text["The code is not correct. Check the time on your device and enter the current code."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var pending = await SecondFactorPending.ReadAsync(HttpContext);
        await signIn.SignOutAsync();
        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
            SessionClaims.ForSecondFactorSignIn(clock, pending?.FirstFactor ?? ["pwd"], pending?.IdentityProvider));
        AccountSecurityLog.AuthenticatorEnabled(logger, user.Id);
        events.Succeeded(HttpContext, user, Telemetry.SignInOutcomes.SecondFactor);
        return Page();
    }

    /// <summary>The user whose first factor was right in this browser, within the two-factor cookie's five minutes.</summary>
    private async Task<TesseraUser?> PendingUserAsync() => await signIn.GetTwoFactorAuthenticationUserAsync() is { DisabledAt: null } user ? user : null;

    private RedirectToPageResult BackToSignIn() => RedirectToPage("/Account/SignIn", new { returnUrl = ReturnUrl });

    /// <summary>As on the sign-in page: "Continue" may lead to the client's redirect URI, which form-action must list.</summary>
    private void AllowRedirectToClient() =>
        PageSecurityHeaders.Apply(Response, [AuthorizationReturnUrl.RedirectUriOf(ReturnUrl, Url, urls, snapshots)]);
}
