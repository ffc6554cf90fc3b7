namespace Tessera.Server.Sessions;

internal sealed partial class SessionActivity
{
    // Event 1 in this category is PeriodicService's JobFailed, so this job's events start at 2.
    /// <summary>The session activity's log messages, source-generated.</summary>
    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Warning, "Could not write the last-seen times of sessions at shutdown")]
        public static partial void ShutdownFlushFailed(ILogger logger, Exception exception);
    }
}
