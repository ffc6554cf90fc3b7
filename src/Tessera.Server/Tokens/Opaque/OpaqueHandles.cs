using System.Security.Cryptography;
using System.Text;
using Tessera.Protocol;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>Opaque handles (access and refresh tokens): a recognizable prefix and 256 random bits; only their SHA-256 is stored.</summary>
public static class OpaqueHandles
{
    /// <summary>The prefix lets secret scanners, logs and the introspection endpoint tell a Tessera handle at a glance.</summary>
    public const string AccessTokenPrefix = OpaqueTokenFormat.AccessTokenPrefix;

    public const string RefreshTokenPrefix = OpaqueTokenFormat.RefreshTokenPrefix;

    public static string NewAccessToken() => AccessTokenPrefix + SecretGenerator.NewSecret();

    public static string NewRefreshToken() => RefreshTokenPrefix + SecretGenerator.NewSecret();

    /// <summary>An unkeyed hash suffices: the handle has 256 bits of entropy, so the hash cannot be reversed by guessing.</summary>
    public static byte[] Hash(string handle) => SHA256.HashData(Encoding.UTF8.GetBytes(handle));
}
