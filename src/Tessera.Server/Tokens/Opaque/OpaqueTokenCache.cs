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

    private readonly RecentlyIssuedTokens _issued = new(options.Value.Cache.OpaqueTokenCacheSize / 10);

    /// <summary>What introspection needs of the row, cached if the row is active; null for a revoked row.</summary>
    public CachedOpaqueToken? Keep(OpaqueToken row)
    {
        if (row.RevokedAt is not null) return null;
        var token = Shape(row);
        if (Enabled) Add(row.Hash, token, row.ExpiresAt);
        return token;
    }

    /// <summary>
    /// A token this node has just issued (and committed): its first introspection here costs no read. Kept in a ring of
    /// the last issued tokens (a tenth of the cache's size), not in the cache: a token is moved into the cache when it is
    /// introspected.
    /// </summary>
    public void KeepIssued(OpaqueToken row) => _issued.Add(row.Hash, Shape(row));

    /// <summary>A token from this node's cache, or one it issued lately (moved into the cache then).</summary>
    public CachedOpaqueToken? FindKeptOrIssued(byte[] hash)
    {
        if (Find(hash) is { } kept) return kept;
        if (_issued.Find(hash) is not { } issued) return null;
        if (Enabled) Add(hash, issued, issued.ExpiresAt);
        return issued;
    }

    /// <summary>Forgets the token here, cached or lately issued (a revocation).</summary>
    public override void Remove(byte[] hash)
    {
        base.Remove(hash);
        _issued.Remove(hash);
    }

    /// <summary>A token another node read from the database (from the shared cache), kept here as if read here.</summary>
    public CachedOpaqueToken Keep(byte[] hash, CachedOpaqueToken shared)
    {
        var token = Shaped(shared.Jti, shared.ClientId, shared.Subject, shared.Audiences, shared.Scope, shared.IssuedAt,
            shared.ExpiresAt, shared.AuthTime, shared.Amr, shared.UserClaims, shared.Jkt);
        if (Enabled) Add(hash, token, token.ExpiresAt);
        return token;
    }

    /// <summary>What introspection needs of the row, not kept.</summary>
    public CachedOpaqueToken Shape(OpaqueToken row) => Shaped(row.Jti, row.ClientId, row.Subject, row.Audiences, row.Scope,
        row.IssuedAt, row.ExpiresAt, row.AuthTime, row.Amr, row.UserClaims, row.Jkt);

    private CachedOpaqueToken Shaped(string jti, string clientId, string subject, string audiences, string scope, long issuedAt,
        long expiresAt, long? authTime, string amr, string? userClaims, string? jkt)
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
            Jkt = jkt,
        };
    }
}
