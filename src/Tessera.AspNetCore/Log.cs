using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore;

/// <summary>Source-generated log messages of the handler. Tokens are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Bearer token refused: {Failure}")]
    public static partial void TokenRefused(ILogger logger, string failure);

    [LoggerMessage(2, LogLevel.Error, "The issuer could not be reached to check a token")]
    public static partial void IssuerUnreachable(ILogger logger, Exception exception);
}
