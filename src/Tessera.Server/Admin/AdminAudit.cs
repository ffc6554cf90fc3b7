using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Audit;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Admin;

/// <summary>
/// GET /admin/audit: the audit trail, newest first, filtered by type, affected user or client and a time window, in
/// pages joined by an opaque cursor (keyset pagination on the event id: a page never repeats or skips an event while
/// new ones arrive). <c>after</c> reads forward instead, oldest first, events at least five seconds old — what <c>tessera audit --follow</c> polls with.
/// Needs tessera:admin:audit (or tessera:admin); tessera:admin:read does not open it.
/// </summary>
internal static class AdminAudit
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(5);

    public sealed record AuditEventView(
        long Id, string Type, string Time, string? User, string? Client, string Actor, string? Ip, string? UserAgent, string Outcome,
        JsonElement? Details);

    /// <summary>Every key written, nulls too (<see cref="ProtocolResults.ApiJson"/>): a reader finds the same shape in every event.</summary>
    public sealed record AuditPage(IReadOnlyList<AuditEventView> Events, string? Next);

    public static async Task<Results<JsonOk<AuditPage>, BadRequestError>> ListAsync(
        string? type, string? user, string? client, string? since, string? until, string? cursor, string? after, int? limit,
        TesseraDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!TryTime(since, out var sinceMs)) return Invalid("since must be an ISO 8601 time, e.g. 2026-12-01T00:00:00Z");
        if (!TryTime(until, out var untilMs)) return Invalid("until must be an ISO 8601 time, e.g. 2026-12-01T00:00:00Z");
        if (!TryId(cursor, out var before)) return Invalid("cursor must be the next value of an earlier page");
        if (!TryId(after, out var afterId)) return Invalid("after must be an event id");
        if (before is not null && afterId is not null) return Invalid("cursor and after cannot be used together");
        if (limit is < 1 or > MaxLimit) return Invalid($"limit must be between 1 and {MaxLimit}");
        var take = limit ?? DefaultLimit;

        var events = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrEmpty(type)) events = events.Where(e => e.Type == type);
        if (!string.IsNullOrEmpty(user)) events = events.Where(e => e.UserId == user);
        if (!string.IsNullOrEmpty(client)) events = events.Where(e => e.ClientId == client);
        if (sinceMs is { } from) events = events.Where(e => e.OccurredAt >= from);
        if (untilMs is { } to) events = events.Where(e => e.OccurredAt < to);
        if (before is { } b) events = events.Where(e => e.Id < b);
        if (afterId is { } a)
        {
            // Ids are handed out before commit, so a lower id can appear after a higher one (another node's batch, a
            // longer transaction). Reading forward, only events settled for a few seconds are answered: a follower that
            // moves past an id never misses one that commits later.
            var settled = clock.GetUtcNow().Add(-SettleTime).ToUnixTimeMilliseconds();
            events = events.Where(e => e.Id > a && e.OccurredAt <= settled);
        }
        var ordered = afterId is null ? events.OrderByDescending(e => e.Id) : events.OrderBy(e => e.Id);

        var page = await ordered.Take(take + 1).ToListAsync(cancellationToken);
        var more = page.Count > take;
        if (more) page.RemoveAt(take);
        var next = more && afterId is null ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return new JsonOk<AuditPage>(new AuditPage([.. page.Select(View)], next), ProtocolResults.ApiJson);
    }

    private static AuditEventView View(AuditEvent e) => new(
        e.Id, e.Type, DateTimeOffset.FromUnixTimeMilliseconds(e.OccurredAt).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        e.UserId, e.ClientId, e.Actor, e.IpAddress, e.UserAgent, e.Outcome, e.Details is null ? null : JsonElement.Parse(e.Details));

    private static bool TryTime(string? value, out long? unixMilliseconds)
    {
        unixMilliseconds = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return false;
        unixMilliseconds = time.ToUnixTimeMilliseconds();
        return true;
    }

    private static bool TryId(string? value, out long? id)
    {
        id = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) return false;
        id = parsed;
        return true;
    }

    private static BadRequestError Invalid(string description) => new(OAuthError.InvalidRequest(description));
}
