namespace Tessera.Server.PersonalAccessTokens;

/// <summary>The <c>Tessera:PersonalAccessTokens</c> section.</summary>
public sealed class PersonalAccessTokenOptions
{
    /// <summary>The longest expiry a user may choose; every token has one.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(366);

    /// <summary>Last-used times are written at most this often per token, so using a token is not a database write.</summary>
    public TimeSpan LastUsedResolution { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many tokens one user may hold (active or not yet deleted).</summary>
    public int MaxPerUser { get; set; } = 100;
}
