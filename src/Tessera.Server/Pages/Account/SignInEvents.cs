using Tessera.Server.Storage.Users;
using Tessera.Server.Telemetry;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Every sign-in attempt's outcome, told once: the <c>tessera.signins</c> counter. The pages call it where they decide,
/// so a metric never says more than the page did.
/// </summary>
internal sealed class SignInEvents(TesseraMetrics metrics)
{
    public void Succeeded(HttpContext context, TesseraUser user, string method) => metrics.SignIn(SignInOutcomes.Succeeded, method);

    /// <summary>A wrong password or code, an unknown or disabled user: one outcome, as the page answers them alike.</summary>
    public void Failed(HttpContext context, TesseraUser? user, string? username, string method) => metrics.SignIn(SignInOutcomes.Failed, method);

    /// <summary>Refused before checking: too many recent failures for this username or address (throttled, not locked for good).</summary>
    public void Locked(HttpContext context, TesseraUser? user, string? username, string method) => metrics.SignIn(SignInOutcomes.Locked, method);

    public void SecondFactorRequired(HttpContext context, TesseraUser user) => metrics.SignIn(SignInOutcomes.MfaRequired, SignInOutcomes.Password);
}
