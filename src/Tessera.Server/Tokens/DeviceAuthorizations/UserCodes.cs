using System.Security.Cryptography;

namespace Tessera.Server.Tokens.DeviceAuthorizations;

/// <summary>RFC 8628 §6.1: user codes people can read and type; every user-code rule of the server is here.</summary>
public static class UserCodes
{
    /// <summary>Consonants only: no vowels (no words), no look-alikes such as 0/O or 1/I (RFC 8628 §6.1).</summary>
    public const string Alphabet = "BCDFGHJKLMNPQRSTVWXZ";
    public const int Length = 8;

    /// <summary>20^8 ≈ 2^34.6 codes, drawn without bias from the platform CSPRNG.</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>Shown and put in links as XXXX-XXXX.</summary>
    public static string Format(string code) => code[..4] + "-" + code[4..];

    /// <summary>RFC 8628 §6.1: case, dashes and spaces the user typed do not matter. Null when it cannot be a code.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 32) return null;
        var letters = new string(typed.Where(c => c is not ('-' or ' ')).Select(char.ToUpperInvariant).ToArray());
        return letters.Length == Length && letters.All(Alphabet.Contains) ? letters : null;
    }
}
