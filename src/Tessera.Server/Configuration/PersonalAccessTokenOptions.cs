namespace Tessera.Server.Configuration;

/// <summary>The <c>Tessera:PersonalAccessTokens</c> section.</summary>
public sealed class PersonalAccessTokenOptions
{
    /// <summary>The longest expiry a user may choose; every token has one.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(366);

    /// <summary>Last-used times are written at most this often per token, so using a token is not a database write.</summary>
    public TimeSpan LastUsedResolution { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many tokens one user may hold (active or not yet deleted).</summary>
    public int MaxPerUser { get; set; } = 100;

    /// <summary>
    /// How long after signing in a user may still create tokens through <c>/api/pats</c> (the bearer token's auth_time);
    /// older, the CLI asks them to sign in again. A stolen session token then cannot mint long-lived credentials for long.
    /// </summary>
    public TimeSpan MaxAuthAge { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The account page asks for the password again before creating a token when the session is older than this.</summary>
    public TimeSpan PageMaxAuthAge { get; set; } = TimeSpan.FromMinutes(10);
}
