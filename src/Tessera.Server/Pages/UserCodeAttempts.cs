using System.Threading.RateLimiting;

namespace Tessera.Server.Pages;

/// <summary>
/// RFC 8628 §5.1: user codes are short, so wrong guesses are limited — five per user per five minutes, counted on
/// this node (System.Threading.RateLimiting, fixed windows). Only wrong codes count: a user who types the right
/// code is never slowed down, one who guesses is stopped long before the 20^8 codes become a risk.
/// </summary>
internal sealed class UserCodeAttempts : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(user =>
        RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = 5,
            Window = TimeSpan.FromMinutes(5),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public bool IsBlocked(string userId) => _failures.GetStatistics(userId)?.CurrentAvailablePermits == 0;

    /// <summary>A fixed-window permit is not given back when its lease is disposed: the failure counts until the window ends.</summary>
    public void RecordFailure(string userId) => _failures.AttemptAcquire(userId).Dispose();

    public void Dispose() => _failures.Dispose();
}
