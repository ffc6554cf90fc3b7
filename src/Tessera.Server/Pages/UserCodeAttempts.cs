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
    public const int Limit = 5;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _windows = new(new MemoryCacheOptions());

    private sealed class Count
    {
        public int Used;
    }

    /// <summary>A guess of this user's, or false when the window's guesses are used up.</summary>
    public bool TryReserve(string userId)
    {
        var count = _windows.GetOrCreate(userId, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Window;
            return new Count();
        })!;
        return Interlocked.Increment(ref count.Used) <= Limit || Release(count);
    }

    /// <summary>The code was right: the reserved guess was not a wrong one.</summary>
    public void Refund(string userId)
    {
        if (_windows.TryGetValue(userId, out Count? count) && count is not null) Release(count);
    }

    private static bool Release(Count count)
    {
        Interlocked.Decrement(ref count.Used);
        return false;
    }

    public void Dispose() => _windows.Dispose();
}
