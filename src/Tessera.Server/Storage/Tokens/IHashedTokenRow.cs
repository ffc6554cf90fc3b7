namespace Tessera.Server.Storage.Tokens;

/// <summary>A stored token row found by the SHA-256 of its value: an opaque access token or a personal access token.</summary>
public interface IHashedTokenRow
{
    byte[] Hash { get; }
    long ExpiresAt { get; }
    long? RevokedAt { get; }
}
