using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Import;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Registration.MetadataDocuments;

/// <summary>
/// RFC 7591 §2 jwks_uri: a client's key set, fetched through <see cref="DocumentFetcher"/> (public addresses only, no
/// redirects, size and time limits) and kept per URL as its cache headers say (within MinCacheLifetime and
/// MaxCacheLifetime): a client that rotates publishes the new key beside the old one for at least that long. A failure
/// is kept too (MinCacheLifetime), with the last good set if there was one, so a flood of signed requests for a client
/// whose site is down or slow costs one fetch per MinCacheLifetime, not one per request.
/// </summary>
internal sealed class JwksUriKeySets(DocumentFetcher fetcher, IOptions<TesseraOptions> options, TimeProvider clock) : IClientKeySets
{
    private sealed record Kept(SecurityKey[]? Keys, OAuthError? Error, long FetchedAt, long FreshUntil);

    private readonly ConcurrentDictionary<string, Kept> _sets = new(StringComparer.Ordinal);

    public async ValueTask<Outcome<SecurityKey[]>> KeysOfAsync(RegisteredClient client, CancellationToken cancellationToken)
    {
        if (client.JwksUri is not { } uri) return client.AssertionKeys.ToArray();
        var settings = options.Value.ClientIdMetadataDocuments;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (!_sets.TryGetValue(uri, out var kept) || kept.FreshUntil <= now)
        {
            var read = await ReadAsync(uri, cancellationToken);
            // A set that aged but cannot be had now is still the client's last word.
            kept = read.Failed
                ? new Kept(kept?.Keys, kept?.Keys is null ? read.Error : null, now, now + (long)settings.MinCacheLifetime.TotalSeconds)
                : new Kept(read.Value.Keys, null, now, now + (long)read.Value.Lifetime.TotalSeconds);
            _sets[uri] = kept;
            while (_sets.Count > settings.MaxCachedDocuments) _sets.TryRemove(_sets.MinBy(s => s.Value.FetchedAt).Key, out _);
        }
        if (kept.Keys is { } keys) return keys;
        return kept.Error!;
    }

    private async Task<Outcome<(SecurityKey[] Keys, TimeSpan Lifetime)>> ReadAsync(string uri, CancellationToken cancellationToken)
    {
        var fetched = await fetcher.FetchAsync(new Uri(uri), cancellationToken);
        if (fetched.Failed) return OAuthError.InvalidClient($"the client's jwks_uri: {fetched.Error.Description}", usedBasic: false);
        var json = System.Text.Encoding.UTF8.GetString(fetched.Value.Body);
        // The import's own rule for a JWK Set: public keys only, at least one signing key.
        if (ImportValidator.JwksProblem(json) is { } problem) return OAuthError.InvalidClient($"the client's jwks_uri {problem}", usedBasic: false);
        return ([.. new JsonWebKeySet(json).GetSigningKeys()], fetched.Value.Lifetime);
    }
}
