namespace Tessera.Server.ExternalIdentities;

internal static partial class ProviderTokenEndpoint
{
    /// <summary>The audit trail of provider tokens (Tessera.Audit.ProviderTokens), source-generated: who asked for whose token, never the token.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Provider token not found: client {ClientId} (sub {Caller}) asked for the {Provider} token of user {UserId}")]
        public static partial void TokenNotFound(ILogger logger, string? clientId, string? caller, string provider, string userId);

        [LoggerMessage(2, LogLevel.Information, "Provider token expired and not refreshable: client {ClientId} asked for the {Provider} token of user {UserId}")]
        public static partial void TokenExpiredNotRefreshable(ILogger logger, string? clientId, string provider, string userId);

        [LoggerMessage(3, LogLevel.Information, "Provider token released: client {ClientId} (sub {Caller}) fetched the {Provider} token of user {UserId}")]
        public static partial void TokenReleased(ILogger logger, string? clientId, string? caller, string provider, string userId);
    }
}
