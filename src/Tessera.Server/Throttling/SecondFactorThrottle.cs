using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Throttling;

namespace Tessera.Server.Throttling;

/// <summary>
/// Wrong authenticator and recovery codes per user, counted in the database for every node: six digits are a million
/// guesses, and without a shared count an attacker who has the password could spread them over the nodes. Only
/// failures count; a right code gives its reservation back.
/// </summary>
internal sealed class SecondFactorThrottle(GuessCounters counters, IOptions<TesseraOptions> options)
{
    /// <summary>The reservation of one code; null when the limit is off. Refused (RetryAfterSeconds &gt; 0) checks no code.</summary>
    public async Task<GuessCounters.Guess?> BeginAsync(string userId, CancellationToken cancellationToken)
    {
        var limit = options.Value.RateLimits.SecondFactorFailuresPerUser;
        return limit.IsOn ? await counters.ReserveAsync(GuessKinds.SecondFactorUser, userId, limit, cancellationToken) : null;
    }

    /// <summary>The code was right: this attempt was no failure.</summary>
    public async Task SucceededAsync(GuessCounters.Guess? guess)
    {
        if (guess is not null) await counters.GiveBackAsync(guess);
    }
}
