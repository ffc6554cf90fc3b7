using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Protocol.Dpop;

namespace Tessera.Testing;

/// <summary>
/// A client's DPoP key and the proofs it signs (RFC 9449 §4.2), written with Microsoft.IdentityModel's token handler —
/// not with the server's code. Each argument can be set wrong on purpose, so a test can attack one check at a time.
/// </summary>
public sealed class DpopKey : IDisposable
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly AsymmetricAlgorithm _algorithm;

    private DpopKey(AsymmetricAlgorithm algorithm, SecurityKey signingKey, JsonWebKey publicJwk, string alg)
    {
        _algorithm = algorithm;
        SigningKey = signingKey;
        PublicJwk = publicJwk;
        Algorithm = alg;
        Thumbprint = Base64UrlEncoder.Encode(publicJwk.ComputeJwkThumbprint());
    }

    public SecurityKey SigningKey { get; }
    public JsonWebKey PublicJwk { get; }
    public string Algorithm { get; }

    /// <summary>RFC 7638 SHA-256 thumbprint, base64url: the cnf.jkt of tokens bound to this key.</summary>
    public string Thumbprint { get; }

    public static DpopKey NewEs256()
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicJwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ecdsa.ExportParameters(false))));
        return new DpopKey(ecdsa, new ECDsaSecurityKey(ecdsa), publicJwk, SecurityAlgorithms.EcdsaSha256);
    }

    public static DpopKey NewPs256()
    {
        var rsa = RSA.Create(2048);
        var publicJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)));
        return new DpopKey(rsa, new RsaSecurityKey(rsa), publicJwk, SecurityAlgorithms.RsaSsaPssSha256);
    }

    /// <summary>A proof for one request; every claim and header can be changed or left out (null) to attack one check.</summary>
    public string Proof(
        string method, string url, string? accessToken = null, string? nonce = null, DateTimeOffset? issuedAt = null,
        string? jti = "", string type = JwtTypesForTests.DpopProof, JsonWebKey? headerJwk = null, bool includePrivateKey = false,
        SigningCredentials? credentials = null)
    {
        var payload = new Dictionary<string, object>
        {
            ["htm"] = method,
            ["htu"] = url,
            ["iat"] = (issuedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
        };
        if (jti is not null) payload["jti"] = jti.Length == 0 ? Guid.NewGuid().ToString("n") : jti;
        if (accessToken is not null) payload["ath"] = DpopProofValidator.AccessTokenHash(accessToken);
        if (nonce is not null) payload["nonce"] = nonce;
        var jwk = headerJwk ?? (includePrivateKey ? PrivateJwk() : PublicJwk);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = type,
            Claims = payload,
            AdditionalHeaderClaims = new Dictionary<string, object> { ["jwk"] = JwkObject(jwk) },
            SigningCredentials = credentials ?? new SigningCredentials(SigningKey, Algorithm),
        });
    }

    private static readonly JsonSerializerOptions SkipNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The jwk header as JSON members (only what RFC 7517 names for a key, as a client would send it).</summary>
    private static Dictionary<string, object> JwkObject(JsonWebKey jwk)
    {
        var json = JsonSerializer.Serialize(jwk, SkipNulls);
        var members = new Dictionary<string, object>();
        foreach (var member in JsonDocument.Parse(json).RootElement.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.String && member.Name is "kty" or "crv" or "x" or "y" or "n" or "e" or "d" or "p" or "q" or "dp" or "dq" or "qi")
                members[member.Name] = member.Value.GetString()!;
        }
        return members;
    }

    private JsonWebKey PrivateJwk() => _algorithm switch
    {
        ECDsa ecdsa => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ecdsa)),
        RSA rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(true))),
        _ => throw new InvalidOperationException("unknown key type"),
    };

    public void Dispose() => _algorithm.Dispose();
}

/// <summary>The typ of a DPoP proof, as the tests write it (kept apart from the server's constant on purpose).</summary>
public static class JwtTypesForTests
{
    public const string DpopProof = "dpop+jwt";
}
