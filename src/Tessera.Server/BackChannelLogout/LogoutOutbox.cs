using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Sessions;

namespace Tessera.Server.BackChannelLogout;

/// <summary>
/// The notifications waiting in the database (written by Sessions/SessionStore when a session ends). A node takes one
/// by a conditional UPDATE that sets its lease, so two nodes never send the same one at the same time; a node that
/// stops mid-send leaves a lease that runs out, and another node sends it again.
/// </summary>
internal sealed class LogoutOutbox(ITesseraDbContextFactory databases, TimeProvider clock)
{
    /// <summary>Longer than one POST may take (Tessera:BackChannelLogout:Timeout is at most a minute).</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>Due notifications this node now holds the lease of (at most <paramref name="limit"/>).</summary>
    public async Task<List<LogoutNotification>> TakeDueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        var due = await db.LogoutNotifications.AsNoTracking()
            .Where(l => l.NextAttemptAt <= now && (l.LeasedUntil == null || l.LeasedUntil <= now))
            .OrderBy(l => l.NextAttemptAt).Take(limit).ToListAsync(cancellationToken);
        var taken = new List<LogoutNotification>(due.Count);
        var until = now + (long)Lease.TotalSeconds;
        foreach (var logout in due)
        {
            var claimed = await db.LogoutNotifications
                .Where(l => l.Id == logout.Id && l.NextAttemptAt <= now && (l.LeasedUntil == null || l.LeasedUntil <= now))
                .ExecuteUpdateAsync(set => set.SetProperty(l => l.LeasedUntil, until).SetProperty(l => l.Attempts, l => l.Attempts + 1), cancellationToken);
            if (claimed == 1)
            {
                logout.Attempts++;
                taken.Add(logout);
            }
        }
        return taken;
    }

    /// <summary>Delivered, given up, or for a client that no longer listens: the notification is done.</summary>
    public async Task DoneAsync(long id)
    {
        await using var db = databases.Create();
        await db.LogoutNotifications.Where(l => l.Id == id).ExecuteDeleteAsync(CancellationToken.None);
    }

    /// <summary>Failed: due again after <paramref name="delay"/>, for any node.</summary>
    public async Task RetryLaterAsync(long id, TimeSpan delay)
    {
        var next = clock.GetUtcNow().Add(delay).ToUnixTimeSeconds();
        await using var db = databases.Create();
        await db.LogoutNotifications.Where(l => l.Id == id)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.NextAttemptAt, next).SetProperty(l => l.LeasedUntil, (long?)null), CancellationToken.None);
    }
}
