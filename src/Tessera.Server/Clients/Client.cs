namespace Tessera.Server.Clients;

/// <summary>A registered OAuth client (RFC 6749 §2).</summary>
public sealed class Client
{
    public int Id { get; set; }
    public required string ClientId { get; set; }
    public string? DisplayName { get; set; }

    /// <summary>HMAC-SHA-256 of the secret under the server's client-secret key; null for clients without a secret.</summary>
    public byte[]? SecretHash { get; set; }

    /// <summary>The client's public keys for <c>private_key_jwt</c> (RFC 7523), as a JWK Set document.</summary>
    public string? JsonWebKeySet { get; set; }

    /// <summary>Space-delimited grant types the client may use.</summary>
    public required string GrantTypes { get; set; }

    /// <summary>Space-delimited scopes the client may request.</summary>
    public required string Scopes { get; set; }
}
