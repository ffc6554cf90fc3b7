using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Storage.Keys;

namespace Tessera.Server.Keys;

/// <summary>One published key, loaded and ready.</summary>
public sealed record PublishedKey(string KeyId, string Algorithm, long ActivatesAt, long? UnpublishAt, AsymmetricSecurityKey Key, SigningCredentials Credentials)
    : IScheduledKey;

/// <summary>
/// An immutable snapshot of the published keys and the JWKS built from them. The signing key for an algorithm is
/// chosen by time on each call, so a pre-published key takes over on every node at the same moment without a reload.
/// </summary>
public sealed class KeyRing
{
    private readonly Dictionary<string, PublishedKey> _byId;

    public KeyRing(IReadOnlyList<PublishedKey> keys)
    {
        Keys = keys;
        _byId = keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        JwksDocument = BuildJwks(keys);
    }

    public IReadOnlyList<PublishedKey> Keys { get; }

    /// <summary>The JWKS response body, serialized once per change.</summary>
    public byte[] JwksDocument { get; }

    public PublishedKey? Find(string? keyId) => keyId is null ? null : _byId.GetValueOrDefault(keyId);

    /// <summary>The key that signs now (<see cref="CurrentSigningKey"/>).</summary>
    public PublishedKey? SigningKey(string algorithm, long now) => CurrentSigningKey.Among(Keys, algorithm, now);

    private static byte[] BuildJwks(IReadOnlyList<PublishedKey> keys)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("keys");
            foreach (var key in keys)
            {
                var jwk = KeyMaterial.PublicJwk(key.Key, key.Algorithm);
                json.WriteStartObject();
                json.WriteString("kty", jwk.Kty);
                json.WriteString("use", jwk.Use);
                json.WriteString("kid", key.KeyId);
                json.WriteString("alg", key.Algorithm);
                if (jwk.Kty == JsonWebAlgorithmsKeyTypes.RSA)
                {
                    json.WriteString("n", jwk.N);
                    json.WriteString("e", jwk.E);
                }
                else
                {
                    json.WriteString("crv", jwk.Crv);
                    json.WriteString("x", jwk.X);
                    json.WriteString("y", jwk.Y);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
