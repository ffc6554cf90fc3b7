namespace Tessera.Server.Protocol.Grants;

internal sealed partial class TokenExchangeGrant
{
    /// <summary>The token exchange's log messages, source-generated: who obtained a token for whom, never the tokens.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Token exchange: client {ClientId} obtained a token for {Audience} for subject {Subject}")]
        public static partial void TokenExchanged(ILogger logger, string clientId, string audience, string subject);
    }
}
