using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Tokens;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>Personal-access-token rows this node has looked up (<see cref="HashedRowCache{TValue}"/>).</summary>
internal sealed class PersonalAccessTokenCache(IOptions<TesseraOptions> options)
    // PATs are few next to access tokens: a tenth of the opaque-token cache is plenty.
    : HashedRowCache<PersonalAccessToken>(options.Value.Cache.OpaqueTokenCacheSize / 10)
{
    /// <summary>Only active rows are cached; the row must not be changed afterwards.</summary>
    public void Add(PersonalAccessToken row)
    {
        if (row.RevokedAt is null) Add(row.Hash, row, row.ExpiresAt);
    }
}
