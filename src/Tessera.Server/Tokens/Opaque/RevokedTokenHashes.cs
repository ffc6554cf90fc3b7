using Tessera.Server.Storage.Tokens;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// Hashes of revoked opaque access tokens and personal access tokens this node knows of, so a revoked token is refused
/// without a database read — and so an entry from the shared cache (written by a node that had not yet seen the
/// revocation) is never trusted over a revocation this node has seen. Filled by this node's revocations at once, by the
/// revocation poll for other nodes' revocations, and by the first database read that finds a revoked row.
/// </summary>
/// <remarks>
/// Not loaded at start-up: the revoked rows of live tokens are spread through the token tables, and finding them would
/// read every live token. A node that starts learns an older revocation from its first read of that token instead
/// (one read per token per node, as for an active token).
/// </remarks>
internal sealed class RevokedTokenHashes : ExpiringDenyList
{
    public bool Contains(byte[] hash) => ContainsKey(RevocationLog.Key(hash));

    public void Add(byte[] hash, long expiresAt, long now) => AddKey(RevocationLog.Key(hash), expiresAt, now);

    /// <summary>A line of the revocation log, whose key is already the hash in the log's form.</summary>
    public void AddLogKey(string key, long expiresAt, long now) => AddKey(key, expiresAt, now);
}
