namespace Tessera.Server.Hosting;

/// <summary>
/// A background job that runs on every node at a fixed interval, or sooner when <see cref="Wake"/> says there is work.
/// A failed run is logged and retried at the next tick: another node may have done the same work in the same instant,
/// and the database has the final word.
/// </summary>
internal abstract partial class PeriodicService(TimeSpan interval, ILogger logger) : BackgroundService
{
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // PeriodicTimer allows one waiter: a tick still pending when a wake came first is awaited next time.
    private Task<bool>? _pendingTick;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>Runs the job now rather than at the next tick (a wake while it runs makes it run once more).</summary>
    protected void Wake() => Volatile.Read(ref _wake).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await NextRunAsync(timer, stoppingToken))
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

    /// <summary>The next tick or a wake, whichever comes first; false once the node stops.</summary>
    private async Task<bool> NextRunAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        var wake = Volatile.Read(ref _wake);
        var tick = _pendingTick ?? timer.WaitForNextTickAsync(stoppingToken).AsTask();
        _pendingTick = null;
        if (await Task.WhenAny(tick, wake.Task) == wake.Task)
        {
            Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
            _pendingTick = tick;
            return !stoppingToken.IsCancellationRequested;
        }
        return await tick;
    }
}
