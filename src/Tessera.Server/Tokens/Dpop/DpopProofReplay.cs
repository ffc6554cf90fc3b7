using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;

namespace Tessera.Server.Tokens.Dpop;

/// <summary>
/// RFC 9449 §11.1: a proof's jti is accepted once per key, on any number of nodes. The database's primary key decides
/// (INSERT … ON CONFLICT DO NOTHING RETURNING: the rows that come back are first uses), and inserts use group commit like
/// opaque tokens: proofs that arrive while a statement is being written wait for the next one, which carries all of them.
/// A DPoP token request therefore costs one short statement shared with its neighbours, not a transaction of its own.
/// </summary>
internal sealed class DpopProofReplay : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly ITesseraDbContextFactory _databases;
    private readonly Channel<PendingUse> _pending = Channel.CreateBounded<PendingUse>(
        new BoundedChannelOptions(16 * MaxBatch) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _writer;
    private (string Table, string Id, string ExpiresAt)? _shape;

    public DpopProofReplay(ITesseraDbContextFactory databases)
    {
        _databases = databases;
        // Not in the context of whichever request first needed the store: its span would parent every batch's.
        using (ExecutionContext.SuppressFlow()) _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>True the first time a key's jti is seen; false for a replay (on this node or any other).</summary>
    public async Task<bool> FirstUseAsync(string keyThumbprint, string jti, long expiresAt, CancellationToken cancellationToken)
    {
        // The jti is the client's string: its SHA-256 always fits the column and never reaches SQL as text of its choosing.
        var id = keyThumbprint + " " + Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(jti)));
        var pending = new PendingUse(id, expiresAt);
        await _pending.Writer.WriteAsync(pending, cancellationToken);
        // Once queued the row will be written whatever the caller does, so the wait is not cancellable.
        return await pending.FirstUse.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingUse>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next)) batch.Add(next);
            try
            {
                // The same proof twice in one batch: only its first copy goes to the database, the others are replays.
                var distinct = new Dictionary<string, PendingUse>(StringComparer.Ordinal);
                foreach (var use in batch)
                {
                    if (!distinct.TryAdd(use.Id, use)) use.FirstUse.TrySetResult(false);
                }
                await using var db = _databases.Create();
                var inserted = await InsertAsync(db, distinct.Values.ToList());
                foreach (var use in distinct.Values) use.FirstUse.TrySetResult(inserted.Contains(use.Id));
            }
            catch (Exception e)
            {
                foreach (var use in batch) use.FirstUse.TrySetException(e);
            }
            batch.Clear();
        }
    }

    /// <summary>The ids the statement inserted: those not already there. Same SQL on PostgreSQL and SQLite (3.35+).</summary>
    private async Task<HashSet<string>> InsertAsync(TesseraDbContext db, List<PendingUse> uses)
    {
        var (table, id, expiresAt) = _shape ??= Shape(db);
        var factory = DbProviderFactories.GetFactory(db.Database.GetDbConnection())!;
        var parameters = new List<DbParameter>(uses.Count * 2);
        var sql = new StringBuilder("INSERT INTO ").Append(table).Append(" (").Append(id).Append(", ").Append(expiresAt).Append(") VALUES ");
        foreach (var use in uses)
        {
            sql.Append(parameters.Count == 0 ? "(" : ", (").Append("@p").Append(parameters.Count).Append(", @p").Append(parameters.Count + 1).Append(')');
            parameters.Add(Parameter(factory, parameters.Count, use.Id));
            parameters.Add(Parameter(factory, parameters.Count, use.ExpiresAt));
        }
        sql.Append(" ON CONFLICT DO NOTHING RETURNING ").Append(id).Append(" AS \"Value\"");
        // Through EF Core's raw SQL (not a bare DbCommand), so its logging, tracing and interceptors see the statement.
        var inserted = await db.Database.SqlQueryRaw<string>(sql.ToString(), [.. parameters]).ToListAsync();
        return inserted.ToHashSet(StringComparer.Ordinal);
    }

    private static DbParameter Parameter(DbProviderFactory factory, int index, object value)
    {
        var parameter = factory.CreateParameter()!;
        parameter.ParameterName = "@p" + index;
        parameter.Value = value;
        return parameter;
    }

    /// <summary>Table and column names from the EF model, so the statement follows the migrations.</summary>
    private static (string, string, string) Shape(TesseraDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(DpopProofUse))!;
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        return (sql.DelimitIdentifier(table.Name, table.Schema), Column(nameof(DpopProofUse.Id)), Column(nameof(DpopProofUse.ExpiresAt)));
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    private sealed record PendingUse(string Id, long ExpiresAt)
    {
        public TaskCompletionSource<bool> FirstUse { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
