namespace Tessera.Server.Storage.Sessions;

/// <summary>
/// One sign-in, kept server-side so that ending it (sign-out, end-session, a credential change) ends it on every node
/// even when someone holds a copy of the cookie. The cookie carries only <see cref="Id"/> (the <c>sid</c> claim).
/// Times are seconds since the epoch.
/// </summary>
public sealed class UserSession
{
    /// <summary>The session's <c>sid</c> (OIDC Front-Channel Logout §3), random.</summary>
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public long CreatedAt { get; init; }
    public long LastSeenAt { get; set; }
    public long ExpiresAt { get; init; }
    public long? EndedAt { get; set; }
    /// <summary>The browser's User-Agent at sign-in, cut to <see cref="MaxUserAgentLength"/>, to tell sessions apart on the account page.</summary>
    public string? UserAgent { get; init; }
    public string? IpAddress { get; init; }

    public const int MaxUserAgentLength = 256;

    public bool IsActive(long now) => EndedAt is null && ExpiresAt > now;
}
