namespace Tessera.Server.Admin;

/// <summary>Security events of the admin API's user operations, source-generated; never a secret.</summary>
internal static partial class AdminUsersLog
{
    [LoggerMessage(201, LogLevel.Warning, "Security event: the second factor of user {UserId} was reset by {Caller}")]
    public static partial void SecondFactorReset(ILogger logger, string userId, string caller);
}
