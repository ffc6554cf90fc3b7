namespace Tessera.Server.Tokens.Opaque;

internal sealed partial class PersonalAccessTokenUsage
{
    // Event 1 in this category is PeriodicService's JobFailed, so this job's events start at 2.
    /// <summary>The personal access token usage's log messages, source-generated.</summary>
    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Warning, "Could not write the last-used times of personal access tokens at shutdown")]
        public static partial void ShutdownFlushFailed(ILogger logger, Exception exception);
    }
}
