namespace Tessera.Server.Hosting;

/// <summary>
/// A background job that runs on every node at a fixed interval. A failed run is logged and retried at the next tick:
/// another node may have done the same work in the same instant, and the database has the final word.
/// </summary>
internal abstract partial class PeriodicService(TimeSpan interval, ILogger logger) : BackgroundService
{
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.JobFailed(logger, e, GetType().Name);
            }
        }
    }
}
