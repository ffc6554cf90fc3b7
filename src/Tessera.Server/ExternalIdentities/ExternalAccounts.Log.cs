namespace Tessera.Server.ExternalIdentities;

internal sealed partial class ExternalAccounts
{
    /// <summary>The external accounts' log messages, source-generated. The provider's tokens are never logged.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Linked {Provider} identity to user {UserId} by verified e-mail")]
        public static partial void LinkedByVerifiedEmail(ILogger logger, string provider, string userId);

        [LoggerMessage(2, LogLevel.Information, "Created user {UserId} on first sign-in through {Provider}")]
        public static partial void UserCreated(ILogger logger, string userId, string provider);

        [LoggerMessage(3, LogLevel.Information, "Linked {Provider} identity to user {UserId}")]
        public static partial void Linked(ILogger logger, string provider, string userId);
    }
}
