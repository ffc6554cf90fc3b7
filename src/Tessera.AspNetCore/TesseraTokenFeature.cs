namespace Tessera.AspNetCore;

/// <summary>
/// The token a Tessera scheme accepted for this request, kept for forwarding to the next service, with its SHA-256
/// (base64url), the key every cache of a token uses, computed once per request.
/// </summary>
public sealed class TesseraTokenFeature(string token, string hash)
{
    public string Token { get; } = token;
    public string Hash { get; } = hash;
}
