namespace Tessera.Server.Housekeeping;

internal sealed partial class HousekeepingService
{
    // Event 1 in this category is PeriodicService's JobFailed, so this job's events start at 2.
    /// <summary>Housekeeping's log messages, source-generated.</summary>
    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Information, "Housekeeping deleted {Rows} expired rows")]
        public static partial void ExpiredRowsDeleted(ILogger logger, int rows);
    }
}
