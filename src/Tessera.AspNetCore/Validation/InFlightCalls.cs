using System.Collections.Concurrent;

namespace Tessera.AspNetCore.Validation;

/// <summary>
/// Concurrent requests for the same key share one call to the issuer: a burst of first requests with a new token
/// (a client fanning out, a page loading in parallel) introspects or exchanges it once, not once per request.
/// </summary>
/// <remarks>
/// The shared call runs without any one request's cancellation token, so a caller that gives up does not fail the
/// others; each caller still stops waiting when its own request is aborted. The backchannel's timeout bounds the call.
/// </remarks>
internal sealed class InFlightCalls<T>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _calls = new(StringComparer.Ordinal);

    public Task<T> RunAsync(string key, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        Lazy<Task<T>>? created = null;
        created = new Lazy<Task<T>>(() => RunAndForgetAsync(key, created!, call));
        return _calls.GetOrAdd(key, created).Value.WaitAsync(cancellationToken);
    }

    private async Task<T> RunAndForgetAsync(string key, Lazy<Task<T>> entry, Func<CancellationToken, Task<T>> call)
    {
        try
        {
            return await call(CancellationToken.None);
        }
        finally
        {
            // Completed calls are not kept: what should be reused is cached by the caller, with its own expiry.
            _calls.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(key, entry));
        }
    }
}
