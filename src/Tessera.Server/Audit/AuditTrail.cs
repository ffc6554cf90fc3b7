using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Audit;
using Tessera.Server.Telemetry;

namespace Tessera.Server.Audit;

/// <summary>
/// The audit trail's one way in. A change that has a transaction adds its event to the same context
/// (<see cref="Add"/>), so the event is saved with the change or not at all; a high-rate event (a sign-in, a reuse) is
/// queued (<see cref="Post"/>) and written in batches by <see cref="AuditWriter"/>, so the request never waits for it.
/// Each event is also a structured log record under <c>Tessera.Audit.&lt;type&gt;</c>, for a SIEM that reads logs —
/// written once the event is saved (a change) or accepted (a queued event).
/// </summary>
public sealed partial class AuditTrail
{
    private const int MaxDetailValueLength = 512;

    private readonly TimeProvider _clock;
    private readonly ILoggerFactory _loggers;
    private readonly TesseraMetrics _metrics;
    private readonly IHttpContextAccessor _requests;
    private readonly ConcurrentDictionary<string, ILogger> _loggersByType = new(StringComparer.Ordinal);

    public AuditTrail(TimeProvider clock, ILoggerFactory loggers, TesseraMetrics metrics, IOptions<TesseraOptions> options, IHttpContextAccessor requests)
    {
        _requests = requests;
        _clock = clock;
        _loggers = loggers;
        _metrics = metrics;
        Queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(options.Value.Audit.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        }, _ => metrics.AuditEventDropped());
    }

    /// <summary>What <see cref="AuditWriter"/> drains.</summary>
    internal Channel<AuditEvent> Queue { get; }

    /// <summary>Adds the event to the change's own context: saved by its SaveChanges, in its transaction; logged once saved.</summary>
    public AuditEvent Add(TesseraDbContext db, AuditEntry entry, HttpContext? context)
    {
        var row = Row(entry, context);
        db.AuditEvents.Add(row);
        EventHandler<Microsoft.EntityFrameworkCore.SavedChangesEventArgs>? saved = null;
        saved = (_, _) =>
        {
            db.SavedChanges -= saved;
            Log(row);
        };
        db.SavedChanges += saved;
        return row;
    }

    /// <summary>Queues a high-rate event; never blocks the request (a full queue drops it and counts the drop).</summary>
    public void Post(AuditEntry entry, HttpContext? context)
    {
        var row = Row(entry, context);
        Log(row);
        Queue.Writer.TryWrite(row);
    }

    /// <param name="context">The request the event happened in; null for the current one (none in a background job).</param>
    internal AuditEvent Row(AuditEntry entry, HttpContext? context)
    {
        context ??= _requests.HttpContext;
        var userAgent = context?.Request.Headers.UserAgent.ToString();
        return new AuditEvent
        {
            Type = entry.Type,
            Outcome = entry.Outcome,
            OccurredAt = _clock.GetUtcNow().ToUnixTimeMilliseconds(),
            UserId = entry.UserId,
            ClientId = Cut(entry.ClientId, AuditEvent.MaxIdLength),
            Actor = Cut(entry.Actor ?? ActorOf(context?.User), AuditEvent.MaxIdLength)!,
            IpAddress = context?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = string.IsNullOrEmpty(userAgent) ? null : Cut(userAgent, AuditEvent.MaxUserAgentLength),
            Details = DetailsJson(entry.Details),
        };
    }

    /// <summary>A user's token or session names the user (sub); an administrative client's own token names the client.</summary>
    private static string ActorOf(ClaimsPrincipal? caller) =>
        caller?.FindFirst("sub")?.Value ?? caller?.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "anonymous";

    private static string? DetailsJson(IReadOnlyDictionary<string, string?>? details)
    {
        if (details is null || details.Count == 0) return null;
        var json = JsonSerializer.Serialize(details.ToDictionary(d => d.Key, d => Cut(d.Value, MaxDetailValueLength)));
        return json.Length <= AuditEvent.MaxDetailsLength ? json : """{"truncated":"the details were longer than 4096 characters"}""";
    }

    private static string? Cut(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    internal void Log(AuditEvent row)
    {
        var logger = _loggersByType.GetOrAdd(row.Type, type => _loggers.CreateLogger("Tessera.Audit." + type));
        Recorded(logger, row.Type, row.Outcome, row.UserId, row.ClientId, row.Actor, row.IpAddress, row.UserAgent, row.Details);
    }

    [LoggerMessage(EventId = 1800, Level = LogLevel.Information,
        Message = "audit {AuditType} {Outcome}: user {UserId}, client {ClientId}, actor {Actor}, from {IpAddress} ({UserAgent}) {Details}")]
    private static partial void Recorded(ILogger logger, string auditType, string outcome, string? userId, string? clientId, string actor,
        string? ipAddress, string? userAgent, string? details);
}
