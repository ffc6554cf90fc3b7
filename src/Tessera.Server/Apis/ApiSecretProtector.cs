using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Keys;

namespace Tessera.Server.Apis;

/// <summary>Generates and encrypts the shared secret of an HS256/384/512 API. The secret never enters the JWKS.</summary>
internal sealed class ApiSecretProtector(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Tessera.Apis.SigningSecret.v1");

    /// <summary>A fresh secret of the algorithm's hash length (≥ 256 bits) and its encrypted form for storage.</summary>
    public (byte[] Secret, string Protected) Generate(string algorithm)
    {
        var secret = RandomNumberGenerator.GetBytes(SigningAlgorithms.SharedSecretBytes(algorithm));
        return (secret, Convert.ToBase64String(_protector.Protect(secret)));
    }

    public byte[] Unprotect(string protectedSecret) => _protector.Unprotect(Convert.FromBase64String(protectedSecret));

    /// <summary>The <c>kid</c> that names which API's secret signed a token, so validation picks exactly that secret.</summary>
    public static string KeyIdFor(string apiName) => "api:" + apiName;

    public static string Encode(byte[] secret) => Base64UrlEncoder.Encode(secret);
}
