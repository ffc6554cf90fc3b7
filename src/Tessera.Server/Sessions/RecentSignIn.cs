namespace Tessera.Server.Sessions;

/// <summary>
/// Creating a personal access token needs a recent sign-in: the token outlives the session, so whoever holds a stolen
/// session (or the access token of one) must not be able to turn it into a long-lived credential.
/// </summary>
internal static class RecentSignIn
{
    /// <summary>
    /// Whether a sign-in at <paramref name="authTime"/> (OIDC Core §2 auth_time, Unix seconds) is recent enough.
    /// No auth_time (a client's own token, an exchanged token, an old cookie) is never recent.
    /// </summary>
    public static bool IsRecent(long? authTime, TimeSpan maxAge, long now) =>
        authTime is { } signedInAt && signedInAt > 0 && now - signedInAt <= (long)maxAge.TotalSeconds;
}
