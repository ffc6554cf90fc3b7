namespace Tessera.Server.Pages.Account;

/// <summary>Security events of accounts (second factor, password, e-mail), source-generated; never a code, key, link or password.</summary>
internal static partial class AccountSecurityLog
{
    [LoggerMessage(101, LogLevel.Information, "Security event: authenticator enabled for user {UserId}")]
    public static partial void AuthenticatorEnabled(ILogger logger, string userId);

    [LoggerMessage(102, LogLevel.Information, "Security event: two-factor sign-in disabled for user {UserId}")]
    public static partial void TwoFactorDisabled(ILogger logger, string userId);

    [LoggerMessage(103, LogLevel.Information, "Security event: user {UserId} signed in with a second factor ({Method})")]
    public static partial void SecondFactorSignIn(ILogger logger, string userId, string method);

    [LoggerMessage(104, LogLevel.Warning, "Security event: a wrong second-factor code for user {UserId}")]
    public static partial void SecondFactorRefused(ILogger logger, string userId);

    [LoggerMessage(105, LogLevel.Warning, "Security event: user {UserId} used a recovery code; {Left} left")]
    public static partial void RecoveryCodeUsed(ILogger logger, string userId, int left);

    [LoggerMessage(106, LogLevel.Information, "Security event: password reset requested for user {UserId}")]
    public static partial void PasswordResetRequested(ILogger logger, string userId);

    [LoggerMessage(107, LogLevel.Information, "Security event: password reset completed for user {UserId}")]
    public static partial void PasswordResetCompleted(ILogger logger, string userId);

    [LoggerMessage(108, LogLevel.Information, "Security event: password changed by user {UserId}")]
    public static partial void PasswordChanged(ILogger logger, string userId);

    [LoggerMessage(109, LogLevel.Information, "Security event: e-mail change requested by user {UserId}")]
    public static partial void EmailChangeRequested(ILogger logger, string userId);

    [LoggerMessage(110, LogLevel.Information, "Security event: e-mail address changed for user {UserId}")]
    public static partial void EmailChanged(ILogger logger, string userId);

    [LoggerMessage(111, LogLevel.Information, "Security event: e-mail address verified for user {UserId}")]
    public static partial void EmailVerified(ILogger logger, string userId);

    [LoggerMessage(112, LogLevel.Information, "Security event: passkey added for user {UserId}")]
    public static partial void PasskeyAdded(ILogger logger, string userId);

    [LoggerMessage(113, LogLevel.Information, "Security event: passkey removed for user {UserId}")]
    public static partial void PasskeyRemoved(ILogger logger, string userId);

    [LoggerMessage(114, LogLevel.Information, "Security event: user {UserId} signed in with a passkey")]
    public static partial void PasskeySignIn(ILogger logger, string userId);

    [LoggerMessage(115, LogLevel.Warning, "Security event: a passkey answer was refused ({Ceremony})")]
    public static partial void PasskeyRefused(ILogger logger, string ceremony);
}
