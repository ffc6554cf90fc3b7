using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;

namespace Tessera.Server.Keys;

/// <summary>Runs the key schedule on every node; see <see cref="KeyManager"/>.</summary>
internal sealed class KeyRotationService(KeyManager keys, IOptions<TesseraOptions> options, ILogger<KeyRotationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Keys.CheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await keys.EnsureKeysAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Another node may have changed the keys in the same instant; the next tick sees the result.
                logger.LogWarning(e, "Key schedule check failed; retrying at the next interval");
            }
        }
    }
}
