namespace Tessera.Server.Audit;

/// <summary>
/// What an audited action reports: its type and outcome, the affected user and client, and a few names in
/// <see cref="Details"/>. Who acted and from where are read from the request by <see cref="AuditTrail"/>, unless given.
/// </summary>
public sealed record AuditEntry(string Type, string Outcome = AuditEventTypes.Success)
{
    public string? UserId { get; init; }
    public string? ClientId { get; init; }

    /// <summary>Who acted, when not the request's caller (the user of a sign-in, <c>system</c> for a scheduled job).</summary>
    public string? Actor { get; init; }

    /// <summary>Names only (a username, a scope list, a reason) — never a token, secret, password or code.</summary>
    public IReadOnlyDictionary<string, string?>? Details { get; init; }
}
