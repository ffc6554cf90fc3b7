namespace Tessera.Server.Storage.Sessions;

/// <summary>
/// One logout notification to deliver (OIDC Back-Channel Logout 1.0 §2.5): written in the same transaction that ends
/// the session, so a node that stops before sending loses nothing; any node sends it, claiming it with a lease, and
/// retries with backoff until the client answers 200 or the attempts run out.
/// </summary>
public sealed class LogoutNotification
{
    public long Id { get; set; }
    public required string ClientId { get; init; }
    public required string UserId { get; init; }
    public required string SessionId { get; init; }
    public long CreatedAt { get; init; }

    /// <summary>Unix seconds: not before this (now at first; later after each failed attempt).</summary>
    public long NextAttemptAt { get; set; }

    /// <summary>Unix seconds until which one node is sending it; others leave it alone.</summary>
    public long? LeasedUntil { get; set; }

    public int Attempts { get; set; }
}
