using System.Security.Cryptography;
using Tessera.Server.Tokens.Opaque;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// The two small parts behind "a token is read at most once per node": the ring of lately issued tokens forgets the
/// oldest when it turns and whatever a revocation removes, and a failed shared read fails every caller waiting on it
/// without leaving the next caller stuck behind it.
/// </summary>
public sealed class IntrospectionCachePartsTests
{
    [Fact]
    public void The_ring_forgets_its_oldest_token_when_it_turns_and_a_removed_one_at_once()
    {
        var ring = new RecentlyIssuedTokens(capacity: 2);
        var (first, second, third) = (Hash(), Hash(), Hash());
        ring.Add(first, Token("first"));
        ring.Add(second, Token("second"));

        ring.Add(third, Token("third"));
        ring.Remove(second);

        Assert.Null(ring.Find(first));
        Assert.Null(ring.Find(second));
        Assert.Equal("third", ring.Find(third)?.Jti);
    }

    [Fact]
    public void A_ring_of_size_zero_keeps_nothing()
    {
        var ring = new RecentlyIssuedTokens(capacity: 0);
        var hash = Hash();

        ring.Add(hash, Token("kept?"));

        Assert.Null(ring.Find(hash));
    }

    [Fact]
    public async Task A_failed_read_fails_every_waiting_caller_and_the_next_caller_reads_again()
    {
        var reads = new SingleFlight<string, string>();
        var gate = new TaskCompletionSource<string>();
        var loads = 0;
        Task<string> Failing(string _) { loads++; return gate.Task; }

        var callers = Enumerable.Range(0, 4).Select(_ => reads.RunAsync("token", Failing, CancellationToken.None)).ToList();
        gate.SetException(new InvalidOperationException("the database is down"));
        foreach (var caller in callers) await Assert.ThrowsAsync<InvalidOperationException>(() => caller);

        Assert.Equal(1, loads);
        Assert.Equal("read", await reads.RunAsync("token", _ => { loads++; return Task.FromResult("read"); }, CancellationToken.None));
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_read_the_others_wait_on()
    {
        var reads = new SingleFlight<string, string>();
        var gate = new TaskCompletionSource<string>();
        using var impatient = new CancellationTokenSource();
        var first = reads.RunAsync("token", _ => gate.Task, impatient.Token);
        var second = reads.RunAsync("token", _ => Task.FromResult("a second read"), CancellationToken.None);

        await impatient.CancelAsync();
        gate.SetResult("row");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal("row", await second);
    }

    private static byte[] Hash() => RandomNumberGenerator.GetBytes(32);

    private static CachedOpaqueToken Token(string jti) => new()
    {
        Jti = jti, ClientId = "c", Subject = "c", Audiences = "https://api.example", Scope = "api", IssuedAt = 1, ExpiresAt = 2, Amr = "",
    };
}
