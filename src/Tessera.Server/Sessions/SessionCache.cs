using Microsoft.Extensions.Caching.Memory;
using Tessera.Server.Storage.Sessions;

namespace Tessera.Server.Sessions;

/// <summary>
/// Active sessions this node has looked up, so a page or authorization request costs no database read. An ended session
/// leaves the cache at once on the node that ended it and on the others at the next revocation poll
/// (<c>Tessera:Cache:RevocationPollInterval</c>); an entry never outlives its session.
/// </summary>
internal sealed class SessionCache : IDisposable
{
    private const int Size = 50_000;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Size, CompactionPercentage = 0.25 });

    public UserSession? Find(string id) => _cache.Get<UserSession>(id);

    public void Add(UserSession session)
    {
        using var entry = _cache.CreateEntry(session.Id);
        entry.Value = session;
        entry.Size = 1;
        entry.AbsoluteExpiration = DateTimeOffset.FromUnixTimeSeconds(session.ExpiresAt);
    }

    public void Remove(string id) => _cache.Remove(id);

    public void Dispose() => _cache.Dispose();
}
