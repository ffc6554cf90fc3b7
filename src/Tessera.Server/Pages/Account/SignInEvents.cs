using Tessera.Server.Audit;
using Tessera.Server.Storage.Users;
using Tessera.Server.Telemetry;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Every sign-in attempt's outcome, told once: the <c>tessera.signins</c> counter. The pages call it where they decide,
/// so a metric never says more than the page did.
/// </summary>
internal sealed class SignInEvents(TesseraMetrics metrics, AuditTrail audit)
{
    public void Succeeded(HttpContext context, TesseraUser user, string method)
    {
        metrics.SignIn(SignInOutcomes.Succeeded, method);
        audit.Post(Entry(AuditEventTypes.SignInSucceeded, AuditEventTypes.Success, user, user.UserName, method), context);
    }

    /// <summary>A wrong password or code, an unknown or disabled user: one outcome, as the page answers them alike.</summary>
    public void Failed(HttpContext context, TesseraUser? user, string? username, string method)
    {
        metrics.SignIn(SignInOutcomes.Failed, method);
        audit.Post(Entry(AuditEventTypes.SignInFailed, AuditEventTypes.Failure, user, username ?? user?.UserName, method), context);
    }

    /// <summary>Refused before checking: too many recent failures for this username or address (throttled, not locked for good).</summary>
    public void Locked(HttpContext context, TesseraUser? user, string? username, string method)
    {
        metrics.SignIn(SignInOutcomes.Locked, method);
        audit.Post(Entry(AuditEventTypes.UserLocked, AuditEventTypes.Failure, user, username ?? user?.UserName, method), context);
    }

    public void SecondFactorRequired(HttpContext context, TesseraUser user) => metrics.SignIn(SignInOutcomes.MfaRequired, SignInOutcomes.Password);

    /// <summary>
    /// A sign-in's affected user is the account it is for, when known, and the typed name is kept too (a spray of
    /// guessed names is what a security team looks for). Only a successful sign-in names the user as the actor: who
    /// typed a failed one is not known. Never the password.
    /// </summary>
    private static AuditEntry Entry(string type, string outcome, TesseraUser? user, string? username, string method) => new(type, outcome)
    {
        UserId = user?.Id,
        Actor = outcome == AuditEventTypes.Success && user is not null ? user.Id : "anonymous",
        Details = new Dictionary<string, string?> { ["username"] = username, ["method"] = method },
    };
}
