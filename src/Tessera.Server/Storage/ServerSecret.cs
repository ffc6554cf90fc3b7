namespace Tessera.Server.Storage;

/// <summary>A server-wide secret shared by every node (e.g. the client-secret HMAC key), encrypted with Data Protection.</summary>
public sealed class ServerSecret
{
    public required string Name { get; set; }
    public required string ProtectedValue { get; set; }
}
