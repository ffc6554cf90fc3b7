using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore.Validation;

namespace Tessera.AspNetCore.Caching;

/// <summary>
/// Builds the HybridCache of one scheme (and of the gateway): a memory cache (L1) of its own, bounded, and the given
/// distributed cache as L2, or none. It is built on a private service provider, so neither the bound nor the L2 depends
/// on what else the application registered: the application's IMemoryCache may be unbounded, and an introspection
/// answer goes to its IDistributedCache only when <see cref="TesseraOptions.UseDistributedCache"/> says so.
/// </summary>
/// <remarks>
/// HybridCache also gives what the library had its own code for: concurrent misses of one key share one call
/// (stampede protection), and an entry read from L2 is kept in L1 for the rest of its L2 lifetime, never written back.
/// </remarks>
internal static class TokenCaches
{
    /// <summary>
    /// HybridCache sizes a memory entry by its serialized length, not as one item, so the bound is this many bytes per
    /// token. Entries measured 215 bytes (an introspection answer) and 496 (a JWT's claims, TokenCacheBudgetTests): the
    /// configured number of tokens fits, and at most about five times as many of the smallest, where the memory cache of
    /// one item per token that this replaced held exactly that number.
    /// </summary>
    public const long BytesPerToken = 1024;

    /// <param name="serializers">Serializers of the caller's own cached types (the gateway's).</param>
    public static HybridCache Create(int tokens, IDistributedCache? distributedCache, TimeProvider? clock, Action<IHybridCacheBuilder>? serializers = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMemoryCache>(new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, tokens) * BytesPerToken }));
        if (distributedCache is not null) services.AddSingleton(distributedCache);
        if (clock is not null) services.AddSingleton(clock);
        var cache = services.AddHybridCache()
            .AddSerializer(IntrospectionAnswerSerializer.Instance)
            .AddSerializer(new JsonCacheSerializer<ValidatedJwt>(CacheJsonContext.Default.ValidatedJwt));
        serializers?.Invoke(cache);
        return services.BuildServiceProvider().GetRequiredService<HybridCache>();
    }

    /// <summary>
    /// The options of an entry kept for <paramref name="window"/>. A zero window keeps nothing, but concurrent calls still
    /// share one (HybridCache refuses a zero lifetime, so writes are switched off instead).
    /// </summary>
    public static HybridCacheEntryOptions For(TimeSpan window, bool distributed)
    {
        var flags = distributed ? HybridCacheEntryFlags.None : HybridCacheEntryFlags.DisableDistributedCache;
        return window > TimeSpan.Zero
            ? new HybridCacheEntryOptions { Expiration = window, LocalCacheExpiration = window, Flags = flags }
            : new HybridCacheEntryOptions { Flags = flags | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite };
    }
}
