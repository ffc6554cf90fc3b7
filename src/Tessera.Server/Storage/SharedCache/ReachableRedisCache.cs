using Microsoft.Extensions.Caching.Distributed;

namespace Tessera.Server.Storage.SharedCache;

/// <summary>
/// Redis as HybridCache's second level, skipped while the connection is down: every read is then a miss and every write
/// is dropped, at no cost, so an unreachable Redis neither slows requests nor fills the log with one failure per request.
/// An operation that fails anyway (the connection dropped mid-call) is a miss too: the database answers instead.
/// </summary>
internal sealed class ReachableRedisCache(IDistributedCache redis, RedisConnection connection) : IDistributedCache
{
    public byte[]? Get(string key) => connection.IsConnected ? Try(() => redis.Get(key)) : null;

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        if (!connection.IsConnected) return null;
        try
        {
            return await redis.GetAsync(key, token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        if (connection.IsConnected) Try(() => { redis.Set(key, value, options); return true; });
    }

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        if (!connection.IsConnected) return;
        try
        {
            await redis.SetAsync(key, value, options, token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not cached: the next node to need it reads the database.
        }
    }

    public void Refresh(string key)
    {
        if (connection.IsConnected) Try(() => { redis.Refresh(key); return true; });
    }

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        if (!connection.IsConnected) return;
        try
        {
            await redis.RefreshAsync(key, token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Sliding expiry is not used; nothing is lost.
        }
    }

    public void Remove(string key)
    {
        if (connection.IsConnected) Try(() => { redis.Remove(key); return true; });
    }

    /// <summary>
    /// A removal that cannot reach Redis is not an error here: the caller (a revocation) must still answer, and every node
    /// also refuses a token it knows is revoked whatever the shared cache says (see SharedOpaqueTokenCache).
    /// </summary>
    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        if (!connection.IsConnected) return;
        try
        {
            await redis.RemoveAsync(key, token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As above.
        }
    }

    private static T? Try<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return default;
        }
    }
}
