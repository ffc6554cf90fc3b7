namespace Tessera.Server.Storage.Sessions;

/// <summary>
/// A client that received tokens in a session and asked to hear when it ends (OIDC Back-Channel Logout 1.0 §2.2:
/// it registered a back-channel logout URI). Written when a code or device approval is redeemed; read when the session ends.
/// </summary>
public sealed class SessionClient
{
    public required string SessionId { get; init; }
    public required string ClientId { get; init; }
    public required string UserId { get; init; }

    /// <summary>Unix seconds; housekeeping deletes the row once its session has long ended.</summary>
    public long CreatedAt { get; init; }
}
