using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;

namespace Tessera.AspNetCore.Validation;

/// <summary>Cache keys are the token's SHA-256, never the token itself: a cache dump reveals no usable token.</summary>
internal static class TokenHash
{
    public static string Of(string token) => Base64UrlTextEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
