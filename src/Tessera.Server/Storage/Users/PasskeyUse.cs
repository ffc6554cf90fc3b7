namespace Tessera.Server.Storage.Users;

/// <summary>
/// When a passkey last signed someone in (Identity's passkey data has a creation time but no last use); deleted with
/// its passkey by the database.
/// </summary>
public sealed class PasskeyUse
{
    public byte[] CredentialId { get; set; } = [];
    public string UserId { get; set; } = "";

    /// <summary>Unix seconds.</summary>
    public long LastUsedAt { get; set; }
}
