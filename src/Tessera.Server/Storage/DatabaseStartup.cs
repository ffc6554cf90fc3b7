namespace Tessera.Server.Storage;

/// <summary>
/// A node that starts before its database (a PostgreSQL still booting, a network not yet up) waits for it: each failed
/// attempt is one log line, the waits grow from 1 s to at most 10 s, and after Tessera:Database:StartupTimeout the
/// start ends with one readable message instead of an unhandled exception.
/// </summary>
internal static partial class DatabaseStartup
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(Func<Task> step, TimeSpan timeout, ILogger logger, TimeProvider clock)
    {
        var until = clock.GetUtcNow() + timeout;
        var wait = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await step();
                if (attempt > 1) Log.Reached(logger, attempt);
                return;
            }
            catch (Exception e) when (DatabaseUnavailable.Is(e))
            {
                var reason = Reason(e);
                if (clock.GetUtcNow() + wait > until)
                    throw new DatabaseUnreachableException($"the database could not be reached within {timeout:c} ({attempt} attempts; last: {reason}).", e);
                Log.Unreachable(logger, attempt, reason, wait);
                await Task.Delay(wait);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestWait.Ticks));
            }
        }
    }

    private static string Reason(Exception e)
    {
        var innermost = e;
        while (innermost.InnerException is { } inner) innermost = inner;
        return innermost.Message.ReplaceLineEndings(" ");
    }

    private static partial class Log
    {
        [LoggerMessage(7, LogLevel.Warning, "The database is not reachable (attempt {Attempt}: {Reason}); trying again in {Wait}")]
        public static partial void Unreachable(ILogger logger, int attempt, string reason, TimeSpan wait);

        [LoggerMessage(8, LogLevel.Information, "The database is reachable (attempt {Attempt})")]
        public static partial void Reached(ILogger logger, int attempt);
    }
}
