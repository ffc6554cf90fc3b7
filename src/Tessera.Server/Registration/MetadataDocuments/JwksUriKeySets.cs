using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Catalog;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Registration.MetadataDocuments;

/// <summary>
/// RFC 7591 §2 jwks_uri: a client's key set, fetched through <see cref="DocumentFetcher"/> (public addresses only, no
/// redirects, size and time limits) and kept per URL as its cache headers say (within MinCacheLifetime and
/// MaxCacheLifetime): a client that rotates publishes the new key beside the old one for at least that long.
/// </summary>
internal sealed class JwksUriKeySets(DocumentFetcher fetcher, TimeProvider clock) : IClientKeySets
{
    private sealed record Kept(SecurityKey[] Keys, long FetchedAt, long FreshUntil);

    private readonly ConcurrentDictionary<string, Kept> _sets = new(StringComparer.Ordinal);

    public async ValueTask<Outcome<SecurityKey[]>> KeysOfAsync(RegisteredClient client, CancellationToken cancellationToken)
    {
        if (client.JwksUri is not { } uri) return client.AssertionKeys.ToArray();
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (_sets.TryGetValue(uri, out var kept) && kept.FreshUntil > now) return kept.Keys;

        var fetched = await fetcher.FetchAsync(new Uri(uri), cancellationToken);
        if (fetched.Failed)
        {
            // A set that aged but cannot be fetched now is still the client's last word; none at all is a refusal.
            if (kept is not null) return kept.Keys;
            return OAuthError.InvalidClient($"the client's jwks_uri: {fetched.Error.Description}", usedBasic: false);
        }
        SecurityKey[] keys;
        try
        {
            var set = new JsonWebKeySet(System.Text.Encoding.UTF8.GetString(fetched.Value.Body));
            // RFC 7517 §5: only public keys belong in a published set; a set leaking a private key is not used.
            if (set.Keys.Any(k => k.HasPrivateKey || k.Kty == JsonWebAlgorithmsKeyTypes.Octet))
                return OAuthError.InvalidClient("the client's jwks_uri must publish public keys only", usedBasic: false);
            keys = [.. set.GetSigningKeys()];
        }
        catch (ArgumentException)
        {
            return OAuthError.InvalidClient("the client's jwks_uri did not return a JWK Set (RFC 7517 §5)", usedBasic: false);
        }
        _sets[uri] = new Kept(keys, now, now + (long)fetched.Value.Lifetime.TotalSeconds);
        return keys;
    }
}
