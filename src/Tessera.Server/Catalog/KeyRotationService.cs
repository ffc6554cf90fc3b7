using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Hosting;

namespace Tessera.Server.Catalog;

/// <summary>Runs the key schedule on every node; see <see cref="KeyManager"/>.</summary>
internal sealed class KeyRotationService(KeyManager keys, IOptions<TesseraOptions> options, ILogger<KeyRotationService> logger)
    : PeriodicService(options.Value.Keys.CheckInterval, logger)
{
    protected override Task RunOnceAsync(CancellationToken cancellationToken) => keys.EnsureKeysAsync(cancellationToken);
}
