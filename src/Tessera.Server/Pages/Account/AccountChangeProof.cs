using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;
using Tessera.Server.Throttling;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// What a session must add before it changes the account's password or e-mail: the current password, or — for an
/// account without one (signed up through an external provider) — a sign-in in the last five minutes. A cookie copied
/// from an unlocked computer must not be enough to take the account over. Wrong passwords here count as failed
/// sign-ins (<see cref="SignInThrottle"/>): the form must not become a way around the sign-in page's limit.
/// </summary>
internal static class AccountChangeProof
{
    public static readonly TimeSpan FreshSignIn = TimeSpan.FromMinutes(5);

    public enum Outcome { Given, Wrong, Throttled }

    public sealed record Result(Outcome Outcome, int RetryAfterSeconds = 0);

    public static async Task<Result> CheckAsync(
        UserManager<TesseraUser> users, SignInThrottle throttle, TesseraUser user, ClaimsPrincipal session, string? currentPassword,
        HttpContext http, TimeProvider clock)
    {
        if (!await users.HasPasswordAsync(user))
            return RecentSignIn.IsRecent(SessionClaims.AuthTimeOf(session), FreshSignIn, clock.GetUtcNow().ToUnixTimeSeconds())
                ? new Result(Outcome.Given) : new Result(Outcome.Wrong);

        var attempt = await throttle.BeginAsync(user.UserName ?? "", http.Connection.RemoteIpAddress, http.RequestAborted);
        if (attempt.Refused) return new Result(Outcome.Throttled, attempt.RetryAfterSeconds);
        if (string.IsNullOrEmpty(currentPassword) || !await users.CheckPasswordAsync(user, currentPassword)) return new Result(Outcome.Wrong);
        await throttle.SucceededAsync(attempt);
        return new Result(Outcome.Given);
    }
}
