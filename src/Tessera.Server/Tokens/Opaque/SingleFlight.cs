using System.Collections.Concurrent;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// One load per key at a time: callers that miss the cache for the same token while its row is being read wait for that
/// read instead of each running the same SELECT (32 concurrent introspections of a new token ran 9 before).
/// </summary>
internal sealed class SingleFlight<TKey, TValue> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Task<TValue>> _running = new();

    /// <summary>
    /// The running load for the key, or a new one. The load itself is not cancelled by any one caller (others share it);
    /// each caller stops waiting when its own token is cancelled.
    /// </summary>
    public Task<TValue> RunAsync(TKey key, Func<TKey, Task<TValue>> load, CancellationToken cancellationToken)
    {
        if (_running.TryGetValue(key, out var running)) return running.WaitAsync(cancellationToken);
        var source = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_running.TryAdd(key, source.Task)) return _running.TryGetValue(key, out running) ? running.WaitAsync(cancellationToken) : load(key);
        _ = CompleteAsync(key, source, load);
        return source.Task.WaitAsync(cancellationToken);
    }

    private async Task CompleteAsync(TKey key, TaskCompletionSource<TValue> source, Func<TKey, Task<TValue>> load)
    {
        try
        {
            source.SetResult(await load(key));
        }
        catch (Exception e)
        {
            source.SetException(e);
        }
        finally
        {
            // Only this load's entry: a later load for the same key has its own.
            _running.TryRemove(new KeyValuePair<TKey, Task<TValue>>(key, source.Task));
        }
    }
}
