namespace Tessera.Server.Configuration;

/// <summary>Tessera:BackChannelLogout — how logout notifications reach clients (OIDC Back-Channel Logout 1.0).</summary>
public sealed class BackChannelLogoutOptions
{
    /// <summary>
    /// How often each node looks for notifications to send (every node sends; a lease keeps them apart): retries, and
    /// what another node left. A node sends the notifications of sessions it ends at once, whatever this says.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.1", "00:01:00", ErrorMessage = "Tessera:BackChannelLogout:PollInterval must be between 0.1 second and 1 minute.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait after the first failed attempt; each later one waits three times longer, at most an hour.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Tessera:BackChannelLogout:FirstRetryDelay must be between 1 second and 1 hour.")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per notification before it is given up (and logged): 8 spans about ten hours.</summary>
    [SettingRange(1, 20, ErrorMessage = "Tessera:BackChannelLogout:MaxAttempts must be between 1 and 20.")]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long one POST to a client may take.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "Tessera:BackChannelLogout:Timeout must be between 1 second and 1 minute.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
