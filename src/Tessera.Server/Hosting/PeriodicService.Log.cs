namespace Tessera.Server.Hosting;

internal abstract partial class PeriodicService
{
    // Logged under the job's own category (its ILogger<T>): a job numbers its own events from 2.
    /// <summary>A job's failure, source-generated.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Job} failed; retrying at the next interval")]
        public static partial void JobFailed(ILogger logger, Exception exception, string job);
    }
}
