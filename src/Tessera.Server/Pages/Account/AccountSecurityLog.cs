namespace Tessera.Server.Pages.Account;

/// <summary>Security events of accounts (second factor), source-generated; never a code, key or password.</summary>
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
}
