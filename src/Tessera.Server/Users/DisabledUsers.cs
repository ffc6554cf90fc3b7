using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;

namespace Tessera.Server.Users;

/// <summary>
/// This node's set of disabled user ids, so introspection and the session check refuse a disabled user's tokens and
/// sessions without a database read per call. Loaded at start-up and replaced by the revocation poll (every node, within
/// <c>Tessera:Cache:RevocationPollInterval</c>) when the revocation log says a user was disabled or enabled; the node
/// that disables or enables a user updates it at once.
/// </summary>
internal sealed class DisabledUsers(ITesseraDbContextFactory databases, TimeProvider clock)
{
    private volatile FrozenSet<string> _ids = FrozenSet<string>.Empty;
    private readonly Lock _write = new();

    public bool Contains(string? userId) => userId is not null && _ids.Contains(userId);

    public void Replace(IEnumerable<string> ids) => _ids = ids.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The whole set from the database (few rows, a partial index): an enable is seen as surely as a disable.</summary>
    public async Task LoadAsync(TesseraDbContext db, CancellationToken cancellationToken) =>
        Replace(await db.Users.AsNoTracking().Where(u => u.DisabledAt != null).Select(u => u.Id).ToListAsync(cancellationToken));

    /// <summary>A user just disabled: here at once, on the other nodes at their next revocation poll.</summary>
    public async Task AddAsync(string userId, CancellationToken cancellationToken)
    {
        lock (_write) _ids = _ids.Append(userId).ToFrozenSet(StringComparer.Ordinal);
        await AnnounceAsync(userId, cancellationToken);
    }

    /// <summary>A user just enabled: here at once, on the other nodes at their next revocation poll.</summary>
    public async Task RemoveAsync(string userId, CancellationToken cancellationToken)
    {
        lock (_write) _ids = _ids.Where(id => id != userId).ToFrozenSet(StringComparer.Ordinal);
        await AnnounceAsync(userId, cancellationToken);
    }

    /// <summary>A line in the revocation log: every node reloads the whole set when it reads one.</summary>
    private async Task AnnounceAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        await RevocationLog.AppendAsync(db, [(RevocationKind.User, userId, 0L)], clock.GetUtcNow().ToUnixTimeSeconds(), cancellationToken);
    }
}
