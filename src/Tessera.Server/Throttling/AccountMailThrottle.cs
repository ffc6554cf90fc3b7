using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Throttling;

namespace Tessera.Server.Throttling;

/// <summary>
/// Account mails per recipient address, counted in the database for every node. Every request counts, whether the
/// address has an account or not, so the count itself tells nothing; over the limit no message leaves.
/// </summary>
internal sealed class AccountMailThrottle(GuessCounters counters, IOptions<TesseraOptions> options)
{
    public async Task<bool> MaySendAsync(string normalizedAddress, CancellationToken cancellationToken)
    {
        var limit = options.Value.RateLimits.AccountMailsPerAddress;
        if (!limit.IsOn) return true;
        return (await counters.ReserveAsync(GuessKinds.AccountMailAddress, normalizedAddress, limit, cancellationToken)).Allowed;
    }
}
