namespace Tessera.Server.Configuration;

/// <summary>The <c>Tessera:Par</c> section: pushed authorization requests (RFC 9126).</summary>
public sealed class ParOptions
{
    /// <summary>§5: every authorization request must come through /connect/par (per client: requirePushedAuthorizationRequests).</summary>
    public bool Required { get; set; }

    /// <summary>§2.2: how long a request_uri may be used; short, because it only has to reach the authorization endpoint.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Tessera:Par:Lifetime must be between 1 second and 10 minutes.")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);
}
