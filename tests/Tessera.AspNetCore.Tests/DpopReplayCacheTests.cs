using Tessera.AspNetCore.Dpop;

namespace Tessera.AspNetCore.Tests;

/// <summary>
/// RFC 9449 §11.1's record of used proofs at an API: a replay is refused while its entry is held, and a record full of
/// live proofs forgets the oldest rather than refusing everyone (an attacker's own valid proofs must not lock others out).
/// </summary>
public sealed class DpopReplayCacheTests
{
    private const long Now = 1_700_000_000;

    [Fact]
    public void A_replayed_proof_is_refused()
    {
        var cache = new DpopReplayCache(10, new StoppedClock(Now));

        Assert.True(cache.FirstUse("victim-key", "jti-1", Now + 60));
        Assert.False(cache.FirstUse("victim-key", "jti-1", Now + 60));
        // The same jti under another key is another proof.
        Assert.True(cache.FirstUse("other-key", "jti-1", Now + 60));
    }

    [Fact]
    public void A_flood_of_valid_proofs_does_not_lock_out_the_next_client()
    {
        var cache = new DpopReplayCache(100, new StoppedClock(Now));
        for (var i = 0; i < 1_000; i++) Assert.True(cache.FirstUse("attacker-key", $"flood-{i}", Now + 60 + i));

        Assert.True(cache.FirstUse("victim-key", "jti-1", Now + 60 + 1_000));
        // Its own replay right after is still refused: the newest entries are the ones kept.
        Assert.False(cache.FirstUse("victim-key", "jti-1", Now + 60 + 1_000));
    }

    [Fact]
    public void A_full_record_forgets_the_proofs_closest_to_expiry_and_keeps_refusing_the_others()
    {
        var cache = new DpopReplayCache(10, new StoppedClock(Now));
        for (var i = 0; i < 10; i++) Assert.True(cache.FirstUse("key", $"jti-{i}", Now + 100 + i));

        // Full, and the replayed proof is the oldest: still held, so still refused (making room must not forget it first).
        Assert.False(cache.FirstUse("key", "jti-0", Now + 100));
        Assert.True(cache.FirstUse("key", "jti-new", Now + 200));

        // Every proof still held is still a replay.
        for (var i = 1; i < 10; i++) Assert.False(cache.FirstUse("key", $"jti-{i}", Now + 100 + i));
        Assert.False(cache.FirstUse("key", "jti-new", Now + 200));
        // jti-0 expires first: it made the room, and is the one a replay gets through with (the price of a bound).
        Assert.True(cache.FirstUse("key", "jti-0", Now + 100));
    }

    [Fact]
    public void Expired_proofs_are_swept_before_any_live_one_is_forgotten()
    {
        var clock = new StoppedClock(Now);
        var cache = new DpopReplayCache(10, clock);
        for (var i = 0; i < 5; i++) cache.FirstUse("key", $"old-{i}", Now + 10);
        for (var i = 0; i < 5; i++) cache.FirstUse("key", $"live-{i}", Now + 100);
        clock.Seconds = Now + 50;

        Assert.True(cache.FirstUse("key", "new", Now + 150));

        for (var i = 0; i < 5; i++) Assert.False(cache.FirstUse("key", $"live-{i}", Now + 100));
    }

    [Fact]
    public void The_record_stays_bounded()
    {
        var cache = new DpopReplayCache(100, new StoppedClock(Now));

        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => cache.FirstUse("attacker-key", $"flood-{i}", Now + 60 + i));

        // Concurrent requests may each add one past the check: never more than one each over.
        Assert.InRange(cache.Count, 1, 100 + 8);
    }

    /// <summary>A clock that moves only when the test says so.</summary>
    private sealed class StoppedClock(long seconds) : TimeProvider
    {
        public long Seconds { get; set; } = seconds;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(Seconds);
    }
}
