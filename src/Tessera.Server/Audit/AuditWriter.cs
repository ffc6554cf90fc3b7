using Tessera.Server.Storage;
using Tessera.Server.Storage.Audit;

namespace Tessera.Server.Audit;

/// <summary>
/// Writes the queued events in batches of up to <see cref="MaxBatch"/> per INSERT round. A failed batch (the database
/// is away) is logged and dropped: its events are in the log already, and holding them would grow the node's memory
/// for as long as the outage lasts. At shutdown what is queued is written before the host stops.
/// </summary>
internal sealed partial class AuditWriter(AuditTrail trail, ITesseraDbContextFactory databases, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = trail.Queue.Reader;
        var batch = new List<AuditEvent>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var next)) batch.Add(next);
                await WriteAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is written below, then the host goes.
        }
        while (reader.TryRead(out var rest))
        {
            batch.Add(rest);
            if (batch.Count == MaxBatch) await WriteAsync(batch, CancellationToken.None);
        }
        if (batch.Count > 0) await WriteAsync(batch, CancellationToken.None);
    }

    private async Task WriteAsync(List<AuditEvent> batch, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = databases.Create();
            db.AuditEvents.AddRange(batch);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            BatchLost(logger, e, batch.Count);
        }
        batch.Clear();
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Error, Message = "{Count} audit events could not be written to the database (they are in the log)")]
    private static partial void BatchLost(ILogger logger, Exception exception, int count);
}
