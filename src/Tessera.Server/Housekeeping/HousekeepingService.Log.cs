namespace Tessera.Server.Housekeeping;

internal sealed partial class HousekeepingService
{
    // Event 1 in this category is PeriodicService's JobFailed, so this job's events start at 2.
    /// <summary>Housekeeping's log messages, source-generated.</summary>
    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Information, "Housekeeping deleted {Rows} expired rows in {Milliseconds} ms; no expired row is left")]
        public static partial void PassCompleted(ILogger logger, int rows, long milliseconds);

        // The backlog left is 0 by construction: the table's last batch came back short.
        [LoggerMessage(3, LogLevel.Information,
            "Housekeeping deleted {Rows} rows from {Table} in {Batches} batches over {Milliseconds} ms; backlog left 0")]
        public static partial void TableWorkedOff(ILogger logger, string table, int rows, int batches, long milliseconds);

        [LoggerMessage(4, LogLevel.Debug, "Housekeeping skipped its pass: another node holds the lease")]
        public static partial void PassSkipped(ILogger logger);
    }
}
