using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Tests.Infrastructure;

/// <summary>
/// One distributed cache that several API nodes reach, as Redis would be, held in this process. It is its own type
/// because HybridCache takes an in-process <c>MemoryDistributedCache</c> for no L2 at all (within one process it is
/// just memory again) and ignores it; entries here are bytes, as in any real distributed cache.
/// </summary>
public sealed class SharedDistributedCache : IDistributedCache
{
    private readonly MemoryDistributedCache _store = new(Options.Create(new MemoryDistributedCacheOptions()));

    private int _writes;

    /// <summary>Entries written, by any node.</summary>
    public int Writes => Volatile.Read(ref _writes);

    public byte[]? Get(string key) => _store.Get(key);
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => _store.GetAsync(key, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        _store.Set(key, value, options);
        Interlocked.Increment(ref _writes);
    }

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        await _store.SetAsync(key, value, options, token);
        Interlocked.Increment(ref _writes);
    }

    /// <summary>
    /// Waits (at most five seconds) until this many entries are stored. HybridCache answers its callers first and writes
    /// the distributed cache afterwards, in the background, so a response does not mean its entry is shared yet.
    /// </summary>
    public async Task WaitForWritesAsync(int count)
    {
        for (var waited = 0; Writes < count && waited < 5_000; waited += 10) await Task.Delay(10);
        Assert.True(Writes >= count, $"{Writes} of {count} distributed-cache writes after 5 s");
    }

    public void Refresh(string key) => _store.Refresh(key);
    public Task RefreshAsync(string key, CancellationToken token = default) => _store.RefreshAsync(key, token);
    public void Remove(string key) => _store.Remove(key);
    public Task RemoveAsync(string key, CancellationToken token = default) => _store.RemoveAsync(key, token);
}
