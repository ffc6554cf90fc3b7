using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Tessera.AspNetCore.Caching;
using Tessera.AspNetCore.Validation;

namespace Tessera.Benchmarks;

/// <summary>
/// The cache look-up alone, on a hit, in one run: the resource-server library's HybridCache (built as each scheme
/// builds it) against the bounded MemoryCache it replaced (one item per token, as the library had it). Both hold the
/// same cached introspection answer under the same key.
/// </summary>
[MemoryDiagnoser]
public class TokenCacheLookupBenchmarks
{
    private const string Key = "tessera:introspection:v3:n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";

    private readonly MemoryCache _memory = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private readonly HybridCache _hybrid = TokenCaches.Create(10_000, distributedCache: null, clock: null);
    private readonly HybridCacheEntryOptions _entry = TokenCaches.For(TimeSpan.FromMinutes(30), distributed: false);

    [GlobalSetup]
    public async Task Setup()
    {
        var answer = IntrospectionAnswer.Parse(Encoding.UTF8.GetBytes(
            """{"active":true,"iss":"https://id.example","aud":"https://api.example","sub":"alice","client_id":"app","scope":"api","exp":4102444800}"""))!;
        _memory.Set(Key, answer, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(30), Size = 1 });
        await _hybrid.GetOrCreateAsync(Key, answer, static (a, _) => ValueTask.FromResult(a), _entry);
    }

    [Benchmark(Baseline = true, Description = "before: MemoryCache.TryGetValue (hit)")]
    public object? Memory() => _memory.TryGetValue(Key, out IntrospectionAnswer? answer) ? answer : null;

    [Benchmark(Description = "after: HybridCache.GetOrCreateAsync (hit)")]
    public object? Hybrid()
    {
        // A hit completes synchronously; the handler awaits it, which then costs nothing more.
        var lookUp = _hybrid.GetOrCreateAsync(Key, 0, static (_, _) => ValueTask.FromResult<IntrospectionAnswer?>(null), _entry);
        return lookUp.IsCompletedSuccessfully ? lookUp.Result : null;
    }
}
