namespace Tessera.Server.Storage.Audit;

/// <summary>
/// One security event of the audit trail (issue 18): who did what to whom, from where, when, and how it ended. Never a
/// token, secret, password or code — only ids, names and the outcome. Read newest first by <see cref="Id"/> (keyset).
/// </summary>
public sealed class AuditEvent
{
    public const int MaxTypeLength = 64;
    public const int MaxIdLength = 450;
    public const int MaxUserAgentLength = 256;
    public const int MaxDetailsLength = 4096;

    public long Id { get; set; }

    /// <summary>A dotted lower-case name from <c>AuditEventTypes</c>, e.g. <c>signin.failed</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Unix milliseconds.</summary>
    public long OccurredAt { get; init; }

    /// <summary>The affected user's id (their username, when known, is in <see cref="Details"/>).</summary>
    public string? UserId { get; init; }

    /// <summary>The affected client's id.</summary>
    public string? ClientId { get; init; }

    /// <summary>Who acted: a user id, an administrative client's id, or <c>system</c>.</summary>
    public required string Actor { get; init; }

    public string? IpAddress { get; init; }
    public string? UserAgent { get; init; }

    /// <summary><c>success</c> or <c>failure</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>A small JSON object of what else is worth knowing (names, scopes, the reason of a failure).</summary>
    public string? Details { get; init; }
}
