using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Tokens;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>Personal-access-token rows this node has looked up (<see cref="HashedRowCache{TRow}"/>).</summary>
internal sealed class PersonalAccessTokenCache(IOptions<TesseraOptions> options)
    // PATs are few next to access tokens: a tenth of the opaque-token cache is plenty.
    : HashedRowCache<PersonalAccessToken>(options.Value.Cache.OpaqueTokenCacheSize / 10);
