using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using Tessera.Gateway.Configuration;

namespace Tessera.Gateway.Authentication;

/// <summary>
/// Tessera sessions that ended (a back-channel logout named their <c>sid</c>): a gateway session begun in one of them is
/// refused at its next request and its ticket removed. Kept in the distributed cache, so every gateway node behind a
/// shared cache (Redis) knows, for as long as a gateway session can live.
/// </summary>
internal sealed class EndedSessions(IDistributedCache cache, IOptions<GatewayOptions> gateway)
{
    private const string Prefix = "tessera:gateway:ended-sid:";

    public Task EndAsync(string sid, CancellationToken cancellationToken) =>
        cache.SetAsync(Prefix + sid, [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = gateway.Value.SessionLifetime }, cancellationToken);

    public async Task<bool> HasEndedAsync(string sid, CancellationToken cancellationToken) =>
        await cache.GetAsync(Prefix + sid, cancellationToken) is not null;
}
