using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Server.Vocabulary;

/// <summary>Random values from the platform CSPRNG, base64url-encoded.</summary>
public static class SecretGenerator
{
    /// <summary>256 bits: a client secret, an opaque handle, a jti seed.</summary>
    public static string NewSecret(int bytes = 32) => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(bytes));
}
