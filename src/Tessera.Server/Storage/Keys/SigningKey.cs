namespace Tessera.Server.Storage.Keys;

/// <summary>One signing key. Times are Unix seconds so both databases can index and compare them.</summary>
public sealed class SigningKey : IScheduledKey
{
    /// <summary>The <c>kid</c>.</summary>
    public required string Id { get; set; }
    public required string Algorithm { get; set; }

    /// <summary>The private key (PKCS#8), encrypted with Data Protection.</summary>
    public required string ProtectedPrivateKey { get; set; }

    /// <summary>When the key starts signing; it is published in the JWKS from its creation.</summary>
    public long ActivatesAt { get; set; }
    public long CreatedAt { get; set; }

    /// <summary>When the key may leave the JWKS: every token it signed has expired by then. Null while it is current.</summary>
    public long? UnpublishAt { get; set; }

    string IScheduledKey.KeyId => Id;
}
