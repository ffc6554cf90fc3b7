using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.Revocation;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// The revocation poll reads only lines it has not seen, yet never steps over a line whose transaction commits late
/// (PostgreSQL hands out ids before commit), and a node's list of revoked JWTs forgets a token once it has expired.
/// </summary>
public sealed class RevocationCursorTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void Contiguous_ids_move_the_cursor_past_the_last_one_so_the_next_poll_reads_only_new_lines()
    {
        var cursor = new RevocationCursor();
        cursor.Start(10);

        cursor.Advance([11, 12, 13], Now);

        Assert.Equal(13, cursor.After);
    }

    [Fact]
    public void A_missing_id_is_read_again_until_it_commits()
    {
        var cursor = new RevocationCursor();
        cursor.Start(10);

        cursor.Advance([11, 13], Now);
        Assert.Equal(11, cursor.After);
        cursor.Advance([13], Now.AddSeconds(1));
        Assert.Equal(11, cursor.After);

        cursor.Advance([12, 13], Now.AddSeconds(2));
        Assert.Equal(13, cursor.After);
    }

    [Fact]
    public void A_missing_id_that_never_commits_is_stepped_over_once_settled()
    {
        var cursor = new RevocationCursor();
        cursor.Start(10);
        cursor.Advance([11, 13, 14], Now);

        cursor.Advance([13, 14], Now + RevocationCursor.Settle - TimeSpan.FromSeconds(1));
        Assert.Equal(11, cursor.After);
        cursor.Advance([13, 14], Now + RevocationCursor.Settle);

        Assert.Equal(14, cursor.After);
    }

    [Fact]
    public void A_later_gap_gets_its_own_settling_time()
    {
        var cursor = new RevocationCursor();
        cursor.Start(10);
        cursor.Advance([11, 13, 15], Now);

        cursor.Advance([13, 15], Now + RevocationCursor.Settle);

        Assert.Equal(13, cursor.After);
        cursor.Advance([15], Now + RevocationCursor.Settle + TimeSpan.FromSeconds(1));
        Assert.Equal(13, cursor.After);
    }

    [Fact]
    public void A_revoked_jwt_is_kept_until_its_expiry_and_then_pruned()
    {
        var list = new RevokedJwtList();
        var now = Now.ToUnixTimeSeconds();
        list.Add("live", now + 60, now);
        list.Add("expired", now - 1, now);

        Assert.True(list.Contains("live"));
        Assert.False(list.Contains("expired"));
        list.Prune(now + 60);

        Assert.False(list.Contains("live"));
        Assert.Equal(0, list.Count);
    }
}
