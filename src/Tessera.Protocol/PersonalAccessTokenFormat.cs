using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Tessera.Protocol;

/// <summary>
/// The text of a personal access token, made for secret scanning: <c>tsr_pat_</c>, 32 random base62 characters, then
/// the CRC32 of those 32 characters in 6 base62 characters. A scanner matches
/// <c>\btsr_pat_[0-9A-Za-z]{38}\b</c> and checks the checksum offline, so a typo or a made-up string is not reported.
/// </summary>
public static class PersonalAccessTokenFormat
{
    public const string Prefix = "tsr_pat_";
    public const int RandomLength = 32;
    public const int ChecksumLength = 6;
    public const int Length = 8 + RandomLength + ChecksumLength;
    public const string Pattern = @"\btsr_pat_[0-9A-Za-z]{38}\b";

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>32 characters from a CSPRNG, uniformly over base62: about 190 bits.</summary>
    public static string New()
    {
        var random = RandomNumberGenerator.GetString(Base62, RandomLength);
        return Prefix + random + Checksum(random);
    }

    public static bool HasPrefix(string token) => token.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Prefix, length, alphabet and checksum all right: the token may be real (only the server knows).</summary>
    public static bool IsWellFormed(string token)
    {
        if (token.Length != Length || !HasPrefix(token)) return false;
        var body = token.AsSpan(Prefix.Length);
        foreach (var c in body)
        {
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        }
        var random = body[..RandomLength].ToString();
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Checksum(random)), Encoding.ASCII.GetBytes(body[RandomLength..].ToString()));
    }

    /// <summary>CRC32 (IEEE) of the random part's ASCII bytes, as 6 base62 digits, most significant first.</summary>
    public static string Checksum(string random)
    {
        var value = Crc32.HashToUInt32(Encoding.ASCII.GetBytes(random));
        Span<char> digits = stackalloc char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            digits[i] = Base62[(int)(value % 62)];
            value /= 62;
        }
        return new string(digits);
    }
}
