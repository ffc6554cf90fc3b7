namespace Tessera.Server.Storage.Clients;

/// <summary>A <c>private_key_jwt</c> assertion already used: RFC 7523 §3 lets the server reject a replayed <c>jti</c>.</summary>
public sealed class ClientAssertionUse
{
    /// <summary><c>client_id</c> + space + base64url SHA-256 of the <c>jti</c>.</summary>
    public required string Id { get; set; }
    public long ExpiresAt { get; set; }
}
