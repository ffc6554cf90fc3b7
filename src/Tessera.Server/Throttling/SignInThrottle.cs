using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Throttling;

namespace Tessera.Server.Throttling;

/// <summary>
/// Failed sign-ins per username and per client IP, counted in the database for every node (issue 14 items 6 and 10):
/// throttling instead of Identity's hard lockout, which an attacker could trigger to lock the real owner out for good.
/// Only failures count; a right password gives its reservations back, so successful sign-ins are never throttled —
/// unless the username (or the address) is already over its failure limit, when nothing is checked until the window ends.
/// </summary>
internal sealed class SignInThrottle(GuessCounters counters, ILookupNormalizer normalizer, IOptions<TesseraOptions> options)
{
    /// <summary>The reservations of one attempt; <see cref="RetryAfterSeconds"/> &gt; 0 when it is refused.</summary>
    public sealed record Attempt(IReadOnlyList<GuessCounters.Guess> Guesses, int RetryAfterSeconds)
    {
        public bool Refused => RetryAfterSeconds > 0;
    }

    /// <summary>
    /// Reserves one failure for the username and one for the address. The username counts whether or not such a user
    /// exists, so a throttled answer tells nothing about which usernames are real.
    /// </summary>
    public async Task<Attempt> BeginAsync(string username, IPAddress? address, CancellationToken cancellationToken)
    {
        var limits = options.Value.RateLimits;
        var guesses = new List<GuessCounters.Guess>(2);
        if (limits.SignInFailuresPerUsername.IsOn)
            guesses.Add(await counters.ReserveAsync(GuessKinds.SignInUsername, normalizer.NormalizeName(username) ?? "", limits.SignInFailuresPerUsername, cancellationToken));
        if (limits.SignInFailuresPerIp.IsOn && address is not null)
            guesses.Add(await counters.ReserveAsync(GuessKinds.SignInIp, address.ToString(), limits.SignInFailuresPerIp, cancellationToken));

        var refused = guesses.Where(g => !g.Allowed).ToList();
        if (refused.Count == 0) return new Attempt(guesses, 0);
        // A refused attempt checks no password: the reservations that were allowed were not guesses.
        foreach (var allowed in guesses.Where(g => g.Allowed)) await counters.GiveBackAsync(allowed);
        return new Attempt([], refused.Max(g => g.RetryAfterSeconds));
    }

    /// <summary>The password was right: this attempt was no failure.</summary>
    public async Task SucceededAsync(Attempt attempt)
    {
        foreach (var guess in attempt.Guesses) await counters.GiveBackAsync(guess);
    }
}
