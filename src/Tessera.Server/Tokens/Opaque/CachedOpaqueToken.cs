namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// What introspection reads of an active opaque access token's row, and all a node keeps of it in memory: not the hash
/// (the cache's key), not RevokedAt (only active rows are kept). The strings many tokens share (client, audiences,
/// scope, amr) are one instance each (<see cref="SharedStrings"/>).
/// </summary>
internal sealed class CachedOpaqueToken
{
    public required string Jti { get; init; }
    public required string ClientId { get; init; }
    public required string Subject { get; init; }
    /// <summary>Space-delimited audiences.</summary>
    public required string Audiences { get; init; }
    public required string Scope { get; init; }
    public long IssuedAt { get; init; }
    public long ExpiresAt { get; init; }
    public long? AuthTime { get; init; }
    public required string Amr { get; init; }
    public string? UserClaims { get; init; }
    /// <summary>RFC 9449 §6.2: the bound key's thumbprint; null for a Bearer token.</summary>
    public string? Jkt { get; init; }
}
