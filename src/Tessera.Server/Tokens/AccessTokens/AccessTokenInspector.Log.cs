namespace Tessera.Server.Tokens.AccessTokens;

internal sealed partial class AccessTokenInspector
{
    /// <summary>The inspector's log messages, source-generated. The token itself is never logged, only why it was refused.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "A JWT was not active: {Reason}")]
        public static partial void JwtNotActive(ILogger logger, string? reason);
    }
}
