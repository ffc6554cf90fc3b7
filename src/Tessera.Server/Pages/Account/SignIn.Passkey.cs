using Microsoft.AspNetCore.Mvc;
using Tessera.Server.Sessions;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Signing in with a passkey instead of the password: no username, the discoverable credential names the account.
/// A passkey that verified its user (Identity requires it) is two factors in one — the device and a PIN or biometric —
/// so the session starts with amr hwk|swk, user, mfa and no code is asked.
/// </summary>
internal sealed partial class SignInModel
{
    private string PasskeyRefused => text["The passkey did not sign you in. Try again, or use your password."];

    public async Task<IActionResult> OnPostPasskeyOptionsAsync([FromServices] PasskeyCeremony passkeys) =>
        await passkeys.RequestOptionsAsync(HttpContext, user: null);

    public async Task<IActionResult> OnPostPasskeyAsync(
        [FromForm] string? credential, [FromServices] PasskeyCeremony passkeys, [FromServices] ILogger<SignInModel> logger)
    {
        var proved = await passkeys.SignInAsync(HttpContext, expected: null, credential);
        // A disabled user's passkey answers like any refused one: the page does not tell who is disabled.
        if (proved is not var (user, passkey) || user.DisabledAt is not null)
        {
            events.Failed(HttpContext, proved?.User, null, Telemetry.SignInOutcomes.Passkey);
            return Refuse(PasskeyRefused);
        }
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, SessionClaims.ForPasskeySignIn(clock, PasskeyMethods.Of(passkey)));
        events.Succeeded(HttpContext, user, Telemetry.SignInOutcomes.Passkey);
        AccountSecurityLog.PasskeySignIn(logger, user.Id);
        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : RedirectToPage("/Account/SignedIn");
    }
}
