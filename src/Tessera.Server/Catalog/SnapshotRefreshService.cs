using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;

namespace Tessera.Server.Catalog;

/// <summary>Polls the change stamp so this node sees what other nodes changed within one refresh interval.</summary>
internal sealed class SnapshotRefreshService(SnapshotCache cache, IOptions<TesseraOptions> options, ILogger<SnapshotRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Cache.RefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await cache.RefreshAsync(force: false, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Configuration refresh failed; serving the last loaded snapshot");
            }
        }
    }
}
