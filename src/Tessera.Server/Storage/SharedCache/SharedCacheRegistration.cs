using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Tessera.Server.Configuration;

namespace Tessera.Server.Storage.SharedCache;

internal static class SharedCacheRegistration
{
    /// <summary>
    /// With <c>Tessera:Cache:Redis</c> set: HybridCache with Redis as its second level, used only through flags that skip
    /// HybridCache's own first level (each cache keeps its own, sized and shaped for what it holds). Unset: nothing.
    /// </summary>
    public static IServiceCollection AddTesseraSharedCache(this IServiceCollection services, CacheOptions cache)
    {
        if (string.IsNullOrWhiteSpace(cache.Redis)) return services;
        services.AddSingleton(sp => new RedisConnection(cache.Redis, sp.GetRequiredService<ILogger<RedisConnection>>()));
        services.AddSingleton<IDistributedCache>(sp =>
        {
            var connection = sp.GetRequiredService<RedisConnection>();
            var redis = new RedisCache(Microsoft.Extensions.Options.Options.Create(new RedisCacheOptions
            {
                ConnectionMultiplexerFactory = () => Task.FromResult(connection.Multiplexer),
                InstanceName = "tessera:",
            }));
            return new ReachableRedisCache(redis, connection);
        });
        services.AddHybridCache();
        return services;
    }
}
