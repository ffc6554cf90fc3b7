using System.ComponentModel.DataAnnotations;

namespace Tessera.Server.Configuration;

/// <summary>Tessera:Audit — how long the audit trail is kept, and how much may wait to be written.</summary>
public sealed class AuditOptions
{
    /// <summary>Events older than this are pruned by housekeeping (default 90 days).</summary>
    [SettingRange(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Tessera:Audit:Retention must be between 1 day and 10 years.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// High-rate events (sign-ins, reuses, exchanges) wait here to be written in batches; when it is full new ones are
    /// dropped (counted by <c>tessera.audit.dropped</c>, and still logged) so a flood never slows the requests.
    /// </summary>
    [Range(100, 1_000_000, ErrorMessage = "Tessera:Audit:QueueCapacity must be between 100 and 1000000.")]
    public int QueueCapacity { get; set; } = 10_000;
}
