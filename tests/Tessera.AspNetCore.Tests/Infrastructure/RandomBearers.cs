using System.Security.Cryptography;

namespace Tessera.AspNetCore.Tests.Infrastructure;

/// <summary>
/// Bearer strings an attacker might spray at an API to make it call the issuer: random text, and near-misses of
/// Tessera's opaque formats (right prefix, wrong length or alphabet). None of them can be a Tessera token.
/// </summary>
public static class RandomBearers
{
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static IReadOnlyList<string> Create(int count) =>
        Enumerable.Range(0, count).Select(i => (i % 5) switch
        {
            0 => RandomNumberGenerator.GetString(Base64Url, 8 + RandomNumberGenerator.GetInt32(120)),
            1 => "tsr_at_" + RandomNumberGenerator.GetString(Base64Url, 44 + RandomNumberGenerator.GetInt32(40)),
            2 => "tsr_at_" + RandomNumberGenerator.GetString(Base64Url, 42) + "~",
            3 => "tsr_pat_" + RandomNumberGenerator.GetString(Base64Url, 39 + RandomNumberGenerator.GetInt32(20)),
            _ => "tsr_pat_" + RandomNumberGenerator.GetString("0123456789abcdef", 37) + "-",
        }).ToList();
}
