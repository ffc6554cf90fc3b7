using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Tokens;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// Opaque access tokens this node has introspected (<see cref="HashedRowCache{TValue}"/>), each kept as a
/// <see cref="CachedOpaqueToken"/> rather than the whole row (bench/RESULTS.md, "Opaque-token cache memory").
/// </summary>
internal sealed class OpaqueTokenCache(IOptions<TesseraOptions> options)
    : HashedRowCache<CachedOpaqueToken>(options.Value.Cache.OpaqueTokenCacheSize)
{
    // Clients, APIs and their scope lists are few; user ids are not shared here (one per user, not per token).
    private readonly SharedStrings _shared = new(4096);

    /// <summary>What introspection needs of the row, cached if the row is active; null for a revoked row.</summary>
    public CachedOpaqueToken? Keep(OpaqueToken row)
    {
        if (row.RevokedAt is not null) return null;
        var token = Shape(row);
        if (Enabled) Add(row.Hash, token, row.ExpiresAt);
        return token;
    }

    /// <summary>
    /// A token this node has just issued (and committed): its first introspection here costs no read. Low priority, so
    /// tokens nobody introspects leave a full cache before those that are.
    /// </summary>
    public void KeepIssued(OpaqueToken row)
    {
        if (Enabled) Add(row.Hash, Shape(row), row.ExpiresAt, CacheItemPriority.Low);
    }

    /// <summary>A token another node read from the database (from the shared cache), kept here as if read here.</summary>
    public CachedOpaqueToken Keep(byte[] hash, CachedOpaqueToken shared)
    {
        var token = Shaped(shared.Jti, shared.ClientId, shared.Subject, shared.Audiences, shared.Scope, shared.IssuedAt,
            shared.ExpiresAt, shared.AuthTime, shared.Amr, shared.UserClaims);
        if (Enabled) Add(hash, token, token.ExpiresAt);
        return token;
    }

    /// <summary>What introspection needs of the row, not kept.</summary>
    public CachedOpaqueToken Shape(OpaqueToken row) => Shaped(row.Jti, row.ClientId, row.Subject, row.Audiences, row.Scope,
        row.IssuedAt, row.ExpiresAt, row.AuthTime, row.Amr, row.UserClaims);

    private CachedOpaqueToken Shaped(string jti, string clientId, string subject, string audiences, string scope, long issuedAt,
        long expiresAt, long? authTime, string amr, string? userClaims)
    {
        clientId = _shared.Share(clientId);
        return new CachedOpaqueToken
        {
            Jti = jti,
            ClientId = clientId,
            // A client's own token (client credentials) has the client as its subject.
            Subject = string.Equals(subject, clientId, StringComparison.Ordinal) ? clientId : subject,
            Audiences = _shared.Share(audiences),
            Scope = _shared.Share(scope),
            IssuedAt = issuedAt,
            ExpiresAt = expiresAt,
            AuthTime = authTime,
            Amr = _shared.Share(amr),
            UserClaims = userClaims,
        };
    }
}
