using Microsoft.Extensions.Caching.Memory;

namespace Tessera.Server.Pages;

/// <summary>
/// RFC 8628 §5.1: user codes are short, so wrong guesses are limited — five per user per five minutes, counted on
/// this node. Only wrong codes count: a user who types the right code is never slowed down, one who guesses is
/// stopped long before the 20^8 codes become a risk.
/// </summary>
/// <remarks>
/// Each check reserves one of the five before the code is looked up and gives it back if the code was right: checking
/// "blocked?" first and counting the failure after the lookup would let parallel posts all pass the check.
/// </remarks>
internal sealed class UserCodeAttempts : IDisposable
{
    private const int Limit = 5;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _windows = new(new MemoryCacheOptions());

    /// <summary>One user's guesses in the current window.</summary>
    internal sealed class Count
    {
        public int Used;
    }

    /// <summary>A reserved guess; given back to the window it was taken from, never to a later one.</summary>
    public sealed class Guess
    {
        private Count? _from;

        internal Guess(Count from) => _from = from;

        /// <summary>The code was right: this was not a wrong guess.</summary>
        public void GiveBack()
        {
            if (Interlocked.Exchange(ref _from, null) is { } count) Interlocked.Decrement(ref count.Used);
        }
    }

    /// <summary>One of this user's guesses, or null when the window's guesses are used up.</summary>
    public Guess? TryReserve(string userId)
    {
        var count = _windows.GetOrCreate(userId, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Window;
            return new Count();
        })!;
        var guess = new Guess(count);
        if (Interlocked.Increment(ref count.Used) <= Limit) return guess;
        guess.GiveBack();
        return null;
    }

    public void Dispose() => _windows.Dispose();
}
