using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Configuration;
using Tessera.Server.Storage;

namespace Tessera.Server.Throttling;

/// <summary>
/// Fixed-window guess counters in the shared database. A guess is reserved before the thing guessed is checked and
/// given back when it turns out right: checking "blocked?" first and counting after the check would let parallel
/// requests all pass the check. The reservation is one atomic statement (INSERT … ON CONFLICT DO UPDATE … RETURNING),
/// so parallel requests on any number of nodes each see their own count and no more than the limit get through.
/// </summary>
internal sealed class GuessCounters(ITesseraDbContextFactory databases, TimeProvider clock)
{
    /// <summary>A reserved (or refused) guess; a right guess is given back to the window it was taken from only.</summary>
    public sealed record Guess(string Kind, string Key, long WindowStart, bool Allowed, int RetryAfterSeconds);

    /// <summary>The row as the reservation leaves it.</summary>
    private sealed class Window
    {
        public int Count { get; set; }
        public long WindowStart { get; set; }
        public long ExpiresAt { get; set; }
    }

    /// <summary>Reserves one guess of <paramref name="partition"/> under <paramref name="limit"/> (which must be on).</summary>
    public async Task<Guess> ReserveAsync(string kind, string partition, WindowLimit limit, CancellationToken cancellationToken)
    {
        var key = Hash(partition);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var expires = now + (long)limit.Window.TotalSeconds;
        await using var db = databases.Create();
        // One statement for both providers (SQLite ≥ 3.35 and PostgreSQL): a window that has ended starts afresh.
        // SET expressions read the row as it was before the update, so the three CASEs agree.
        var rows = await db.Database.SqlQuery<Window>($"""
            INSERT INTO "GuessCounters" ("Kind", "Key", "WindowStart", "ExpiresAt", "Count")
            VALUES ({kind}, {key}, {now}, {expires}, 1)
            ON CONFLICT ("Kind", "Key") DO UPDATE SET
                "Count" = CASE WHEN "GuessCounters"."ExpiresAt" <= {now} THEN 1 ELSE "GuessCounters"."Count" + 1 END,
                "WindowStart" = CASE WHEN "GuessCounters"."ExpiresAt" <= {now} THEN {now} ELSE "GuessCounters"."WindowStart" END,
                "ExpiresAt" = CASE WHEN "GuessCounters"."ExpiresAt" <= {now} THEN {expires} ELSE "GuessCounters"."ExpiresAt" END
            RETURNING "Count", "WindowStart", "ExpiresAt"
            """).ToListAsync(cancellationToken);
        var window = rows[0];
        var allowed = window.Count <= limit.PermitLimit;
        // A refused reservation stays counted: the count only says "over", and the window's end does not move.
        return new Guess(kind, key, window.WindowStart, allowed, (int)Math.Max(1, window.ExpiresAt - now));
    }

    /// <summary>The guess was right (or never made): it does not count. Only its own window gets it back.</summary>
    public async Task GiveBackAsync(Guess guess)
    {
        await using var db = databases.Create();
        // Not cancellable: a right answer that was not given back would count against its owner.
        await db.GuessCounters
            .Where(c => c.Kind == guess.Kind && c.Key == guess.Key && c.WindowStart == guess.WindowStart && c.Count > 0)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.Count, c => c.Count - 1), CancellationToken.None);
    }

    private static string Hash(string partition) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(partition)));
}
