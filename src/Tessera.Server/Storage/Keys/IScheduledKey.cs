namespace Tessera.Server.Storage.Keys;

/// <summary>What the signing schedule knows of a key, stored (<see cref="SigningKey"/>) or loaded into the key ring.</summary>
public interface IScheduledKey
{
    string KeyId { get; }
    string Algorithm { get; }
    long ActivatesAt { get; }
    long? UnpublishAt { get; }
}
