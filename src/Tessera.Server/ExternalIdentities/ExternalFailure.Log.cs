namespace Tessera.Server.ExternalIdentities;

internal static partial class ExternalFailure
{
    /// <summary>The failed external sign-ins (Tessera.ExternalSignIn), source-generated.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "External sign-in through {Provider} failed: {Reason}")]
        public static partial void SignInFailed(ILogger logger, string provider, string? reason);
    }
}
