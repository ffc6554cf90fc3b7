namespace Tessera.Server.Configuration;

/// <summary>The <c>Tessera:PersonalAccessTokens</c> section.</summary>
public sealed class PersonalAccessTokenOptions
{
    /// <summary>The longest expiry a user may choose; every token has one.</summary>
    [SettingRange(typeof(TimeSpan), "1.00:00:00", "3660.00:00:00", ErrorMessage = "Tessera:PersonalAccessTokens:MaxLifetime must be between 1 day and 3660 days.")]
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(366);

    /// <summary>Last-used times are written at most this often per token, so using a token is not a database write.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "1.00:00:00",
        ErrorMessage = "Tessera:PersonalAccessTokens:LastUsedResolution must be between 1 second and 1 day.")]
    public TimeSpan LastUsedResolution { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many tokens one user may hold (active or not yet deleted).</summary>
    [SettingRange(1, 10_000, ErrorMessage = "Tessera:PersonalAccessTokens:MaxPerUser must be between 1 and 10000.")]
    public int MaxPerUser { get; set; } = 100;

    /// <summary>
    /// How long after signing in a user may still create tokens through <c>/api/pats</c> (the bearer token's auth_time);
    /// older, the CLI asks them to sign in again. A stolen session token then cannot mint long-lived credentials for long.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Tessera:PersonalAccessTokens:MaxAuthAge must be between 1 second and 30 days.")]
    public TimeSpan MaxAuthAge { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The account page asks for the password again before creating a token when the session is older than this.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Tessera:PersonalAccessTokens:PageMaxAuthAge must be between 1 second and 1 day.")]
    public TimeSpan PageMaxAuthAge { get; set; } = TimeSpan.FromMinutes(10);
}
