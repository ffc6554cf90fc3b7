using System.Collections.Frozen;

namespace Tessera.Server.Users;

/// <summary>
/// This node's set of disabled user ids, so introspection and the session check refuse a disabled user's tokens and
/// sessions without a database read per call. The revocation poll replaces it from the database (every node, within
/// <c>Tessera:Cache:RevocationPollInterval</c>); the node that disables or enables a user updates it at once.
/// </summary>
internal sealed class DisabledUsers
{
    private volatile FrozenSet<string> _ids = FrozenSet<string>.Empty;
    private readonly Lock _write = new();

    public bool Contains(string? userId) => userId is not null && _ids.Contains(userId);

    public void Replace(IEnumerable<string> ids) => _ids = ids.ToFrozenSet(StringComparer.Ordinal);

    public void Add(string userId)
    {
        lock (_write) _ids = _ids.Append(userId).ToFrozenSet(StringComparer.Ordinal);
    }

    public void Remove(string userId)
    {
        lock (_write) _ids = _ids.Where(id => id != userId).ToFrozenSet(StringComparer.Ordinal);
    }
}
