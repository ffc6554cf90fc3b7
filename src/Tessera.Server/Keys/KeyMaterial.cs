using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Storage.Keys;

namespace Tessera.Server.Keys;

/// <summary>Creates key pairs and turns stored keys back into <see cref="SecurityKey"/>s. All crypto is the platform's.</summary>
internal sealed class KeyMaterial(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Tessera.Keys.SigningKey.v1");

    public SigningKey Create(string algorithm, int rsaKeySize, long activatesAt, long now)
    {
        byte[] pkcs8;
        SecurityKey publicKey;
        if (algorithm == SigningAlgorithms.ES256)
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            pkcs8 = ec.ExportPkcs8PrivateKey();
            publicKey = new ECDsaSecurityKey(ECDsa.Create(ec.ExportParameters(false)));
        }
        else if (algorithm is SigningAlgorithms.RS256 or SigningAlgorithms.PS256)
        {
            using var rsa = RSA.Create(rsaKeySize);
            pkcs8 = rsa.ExportPkcs8PrivateKey();
            publicKey = new RsaSecurityKey(rsa.ExportParameters(false));
        }
        else
        {
            throw new ArgumentException($"'{algorithm}' is not an asymmetric signing algorithm.", nameof(algorithm));
        }

        try
        {
            return new SigningKey
            {
                // RFC 7638: the JWK thumbprint is a stable, collision-free kid.
                Id = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(publicKey).ComputeJwkThumbprint()),
                Algorithm = algorithm,
                ProtectedPrivateKey = Convert.ToBase64String(_protector.Protect(pkcs8)),
                ActivatesAt = activatesAt,
                CreatedAt = now,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>The private key, ready to sign; its public half is what the JWKS shows.</summary>
    public AsymmetricSecurityKey Load(SigningKey key)
    {
        var pkcs8 = _protector.Unprotect(Convert.FromBase64String(key.ProtectedPrivateKey));
        try
        {
            if (key.Algorithm == SigningAlgorithms.ES256)
            {
                var ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(pkcs8, out _);
                return new ECDsaSecurityKey(ec) { KeyId = key.Id };
            }
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return new RsaSecurityKey(rsa) { KeyId = key.Id };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>The public JWK (RFC 7517 §4) of a loaded key: no private member can leak into it.</summary>
    public static JsonWebKey PublicJwk(AsymmetricSecurityKey key, string algorithm)
    {
        SecurityKey publicOnly = key switch
        {
            RsaSecurityKey rsa => new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = key.KeyId },
            ECDsaSecurityKey ec => new ECDsaSecurityKey(ECDsa.Create(ec.ECDsa.ExportParameters(false))) { KeyId = key.KeyId },
            _ => throw new NotSupportedException(key.GetType().Name),
        };
        var jwk = JsonWebKeyConverter.ConvertFromSecurityKey(publicOnly);
        jwk.Alg = algorithm;
        jwk.Use = JsonWebKeyUseNames.Sig;
        return jwk;
    }
}
