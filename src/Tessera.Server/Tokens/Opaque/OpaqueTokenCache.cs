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
        var clientId = _shared.Share(row.ClientId);
        var token = new CachedOpaqueToken
        {
            Jti = row.Jti,
            ClientId = clientId,
            // A client's own token (client credentials) has the client as its subject.
            Subject = string.Equals(row.Subject, clientId, StringComparison.Ordinal) ? clientId : row.Subject,
            Audiences = _shared.Share(row.Audiences),
            Scope = _shared.Share(row.Scope),
            IssuedAt = row.IssuedAt,
            ExpiresAt = row.ExpiresAt,
            AuthTime = row.AuthTime,
            Amr = _shared.Share(row.Amr),
            UserClaims = row.UserClaims,
        };
        if (Enabled) Add(row.Hash, token, row.ExpiresAt);
        return token;
    }
}
