using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Hosting;

namespace Tessera.Server.Catalog;

/// <summary>Polls the change stamp so this node sees what other nodes changed within one refresh interval.</summary>
internal sealed class SnapshotRefreshService(SnapshotCache cache, IOptions<TesseraOptions> options, ILogger<SnapshotRefreshService> logger)
    : PeriodicService(options.Value.Cache.RefreshInterval, logger)
{
    protected override Task RunOnceAsync(CancellationToken cancellationToken) => cache.RefreshAsync(force: false, cancellationToken);
}
