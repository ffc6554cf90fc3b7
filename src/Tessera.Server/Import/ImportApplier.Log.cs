namespace Tessera.Server.Import;

internal sealed partial class ImportApplier
{
    /// <summary>The credentials an import overwrote, source-generated: whose, never the secret or password.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Import overwrote the client secret of client {ClientId} (--import-overwrite-credentials)")]
        public static partial void ClientSecretOverwritten(ILogger logger, string clientId);

        [LoggerMessage(2, LogLevel.Warning, "Import removed the client secret of client {ClientId} (--import-overwrite-credentials)")]
        public static partial void ClientSecretRemoved(ILogger logger, string clientId);

        [LoggerMessage(3, LogLevel.Warning, "Import overwrote the jwks of client {ClientId} (--import-overwrite-credentials)")]
        public static partial void ClientJwksOverwritten(ILogger logger, string clientId);

        [LoggerMessage(4, LogLevel.Warning, "Import overwrote the password of user {Username} (--import-overwrite-credentials)")]
        public static partial void PasswordOverwritten(ILogger logger, string? username);
    }
}
