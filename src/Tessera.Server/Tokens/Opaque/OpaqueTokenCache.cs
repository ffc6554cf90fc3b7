using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Tokens;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>Opaque access-token rows this node has introspected (<see cref="HashedRowCache{TRow}"/>).</summary>
internal sealed class OpaqueTokenCache(IOptions<TesseraOptions> options)
    : HashedRowCache<OpaqueToken>(options.Value.Cache.OpaqueTokenCacheSize);
