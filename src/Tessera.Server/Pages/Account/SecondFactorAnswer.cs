using Microsoft.AspNetCore.Identity;
using Tessera.Server.Storage.Users;
using Tessera.Server.Throttling;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// One answer to "your second factor, please", wherever it is asked (the sign-in's code step, turning two-factor sign-in
/// off): a current authenticator code (each accepted once) or, when given, a recovery code (each good once). Wrong
/// answers are counted per user on every node (<see cref="SecondFactorThrottle"/>); over the limit no answer is checked.
/// </summary>
internal sealed record SecondFactorAnswer(bool Right, int RetryAfterSeconds, bool ByRecoveryCode)
{
    public bool Throttled => RetryAfterSeconds > 0;

    public static async Task<SecondFactorAnswer> CheckAsync(
        UserManager<TesseraUser> users, SecondFactorThrottle throttle, ILogger logger, TesseraUser user, string? code, string? recoveryCode,
        CancellationToken cancellationToken)
    {
        var byRecoveryCode = !string.IsNullOrWhiteSpace(recoveryCode);
        var guess = await throttle.BeginAsync(user.Id, cancellationToken);
        if (guess is { Allowed: false }) return new SecondFactorAnswer(false, guess.RetryAfterSeconds, byRecoveryCode);

        var right = byRecoveryCode
            ? (await users.RedeemTwoFactorRecoveryCodeAsync(user, recoveryCode!)).Succeeded
            : !string.IsNullOrWhiteSpace(code) && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code);
        if (!right)
        {
            AccountSecurityLog.SecondFactorRefused(logger, user.Id);
            return new SecondFactorAnswer(false, 0, byRecoveryCode);
        }
        await throttle.SucceededAsync(guess);
        if (byRecoveryCode) AccountSecurityLog.RecoveryCodeUsed(logger, user.Id, await users.CountRecoveryCodesAsync(user));
        return new SecondFactorAnswer(true, 0, byRecoveryCode);
    }
}
