namespace Tessera.Server.Storage.Users;

/// <summary>The scopes a user approved for a client; asked again when a request wants more.</summary>
public sealed class Consent
{
    public required string UserId { get; set; }
    public required string ClientId { get; set; }

    /// <summary>Space-delimited approved scopes.</summary>
    public required string Scopes { get; set; }
    public long GrantedAt { get; set; }
}
