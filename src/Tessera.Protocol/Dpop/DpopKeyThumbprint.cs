namespace Tessera.Protocol.Dpop;

/// <summary>RFC 9449 §6.1 and §10: a key's thumbprint as DPoP names it — RFC 7638's SHA-256, base64url without padding.</summary>
public static class DpopKeyThumbprint
{
    /// <summary>43 characters of the base64url alphabet: what a SHA-256 thumbprint is, and nothing else.</summary>
    public static bool IsWellFormed(string? value) =>
        value is { Length: 43 } && value.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');
}
