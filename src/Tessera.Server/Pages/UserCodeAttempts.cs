using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Throttling;
using Tessera.Server.Throttling;

namespace Tessera.Server.Pages;

/// <summary>
/// RFC 8628 §5.1: user codes are short, so wrong guesses are limited — by default five per user per five minutes
/// (<c>Tessera:RateLimits:WrongUserCodesPerUser</c>), counted in the database so that every node shares the count.
/// Only wrong codes count: a user who types the right code is never slowed down, one who guesses is stopped long before
/// the 20^8 codes become a risk.
/// </summary>
/// <remarks>
/// Each check reserves one guess before the code is looked up and gives it back if the code was right: checking
/// "blocked?" first and counting the failure after the lookup would let parallel posts all pass the check.
/// </remarks>
internal sealed class UserCodeAttempts(GuessCounters counters, IOptions<TesseraOptions> options)
{
    /// <summary>A reserved guess; given back to the window it was taken from, never to a later one.</summary>
    public sealed class Guess(GuessCounters counters, GuessCounters.Guess? reserved)
    {
        /// <summary>The code was right: this was not a wrong guess.</summary>
        public Task GiveBackAsync() => reserved is null ? Task.CompletedTask : counters.GiveBackAsync(reserved);
    }

    /// <summary>One of this user's guesses, or null and the seconds until the window ends when they are used up.</summary>
    public async Task<(Guess? Guess, int RetryAfterSeconds)> TryReserveAsync(string userId, CancellationToken cancellationToken)
    {
        var limit = options.Value.RateLimits.WrongUserCodesPerUser;
        if (!limit.IsOn) return (new Guess(counters, null), 0);
        var reserved = await counters.ReserveAsync(GuessKinds.DeviceUserCode, userId, limit, cancellationToken);
        return reserved.Allowed ? (new Guess(counters, reserved), 0) : (null, reserved.RetryAfterSeconds);
    }
}
