namespace Tessera.Server.Tokens;

/// <summary>An access token found active: what introspection (RFC 7662 §2.2) reports about it.</summary>
public sealed record InspectedToken(
    string Format,
    string Jti,
    string Subject,
    string ClientId,
    IReadOnlyList<string> Audiences,
    string Scope,
    long IssuedAt,
    long ExpiresAt,
    byte[]? OpaqueHash);
