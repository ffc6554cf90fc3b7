using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;

namespace Tessera.Server.Users;

/// <summary>
/// This node's set of disabled user ids, so introspection and the session check refuse a disabled user's tokens and
/// sessions without a database read per call. Loaded at start-up and replaced by the revocation poll (every node, within
/// <c>Tessera:Cache:RevocationPollInterval</c>); the node that disables or enables a user updates it at once.
/// </summary>
internal sealed class DisabledUsers
{
    private volatile FrozenSet<string> _ids = FrozenSet<string>.Empty;
    private readonly Lock _write = new();

    public bool Contains(string? userId) => userId is not null && _ids.Contains(userId);

    public void Replace(IEnumerable<string> ids) => _ids = ids.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The whole set from the database (few rows, a partial index): an enable is seen as surely as a disable.</summary>
    public async Task LoadAsync(TesseraDbContext db, CancellationToken cancellationToken) =>
        Replace(await db.Users.AsNoTracking().Where(u => u.DisabledAt != null).Select(u => u.Id).ToListAsync(cancellationToken));

    public void Add(string userId)
    {
        lock (_write) _ids = _ids.Append(userId).ToFrozenSet(StringComparer.Ordinal);
    }

    public void Remove(string userId)
    {
        lock (_write) _ids = _ids.Where(id => id != userId).ToFrozenSet(StringComparer.Ordinal);
    }
}
