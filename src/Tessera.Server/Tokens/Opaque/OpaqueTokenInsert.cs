using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// One multi-row INSERT for a batch of opaque tokens. EF Core's change tracking cost more than the database itself on
/// this path (bench/RESULTS.md), so the hot path writes a parameterized statement; table and column names come from the
/// EF model, so the statement follows the migrations, and one statement is atomic on both databases.
/// </summary>
internal sealed class OpaqueTokenInsert
{
    private readonly ConcurrentDictionary<int, string> _sqlByRowCount = new();
    private (string Table, string[] Columns)? _shape;

    public async Task ExecuteAsync(TesseraDbContext db, IReadOnlyList<OpaqueToken> rows, CancellationToken cancellationToken)
    {
        // Through EF Core's raw SQL (not a bare DbCommand), so its logging, tracing and interceptors see the statement.
        var factory = DbProviderFactories.GetFactory(db.Database.GetDbConnection())!;
        var parameters = new List<DbParameter>(rows.Count * 12);
        void Add(object value)
        {
            var parameter = factory.CreateParameter()!;
            parameter.ParameterName = "@p" + parameters.Count;
            parameter.Value = value;
            parameters.Add(parameter);
        }

        foreach (var row in rows)
        {
            Add(row.Hash);
            Add(row.Jti);
            Add(row.ClientId);
            Add(row.Subject);
            Add(row.Audiences);
            Add(row.Scope);
            Add(row.IssuedAt);
            Add(row.ExpiresAt);
            Add(row.AuthTime is { } authTime ? authTime : DBNull.Value);
            Add(row.UserClaims is { } userClaims ? userClaims : DBNull.Value);
            Add(row.Amr);
            Add(row.Jkt is { } jkt ? jkt : DBNull.Value);
        }
        await db.Database.ExecuteSqlRawAsync(_sqlByRowCount.GetOrAdd(rows.Count, count => BuildSql(db, count)), parameters, cancellationToken);
    }

    private string BuildSql(TesseraDbContext db, int rowCount)
    {
        var (table, columns) = _shape ??= Shape(db);
        var sql = new StringBuilder("INSERT INTO ").Append(table).Append(" (").AppendJoin(", ", columns).Append(") VALUES ");
        for (var row = 0; row < rowCount; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns.Length; column++)
                sql.Append(column == 0 ? "" : ", ").Append("@p").Append(row * columns.Length + column);
            sql.Append(')');
        }
        return sql.ToString();
    }

    /// <summary>The delimited table and column names, in the order <see cref="ExecuteAsync"/> binds them (RevokedAt stays null).</summary>
    private static (string, string[]) Shape(TesseraDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(OpaqueToken))!;
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        return (sql.DelimitIdentifier(table.Name, table.Schema), [
            Column(nameof(OpaqueToken.Hash)), Column(nameof(OpaqueToken.Jti)), Column(nameof(OpaqueToken.ClientId)),
            Column(nameof(OpaqueToken.Subject)), Column(nameof(OpaqueToken.Audiences)), Column(nameof(OpaqueToken.Scope)),
            Column(nameof(OpaqueToken.IssuedAt)), Column(nameof(OpaqueToken.ExpiresAt)), Column(nameof(OpaqueToken.AuthTime)),
            Column(nameof(OpaqueToken.UserClaims)), Column(nameof(OpaqueToken.Amr)), Column(nameof(OpaqueToken.Jkt)),
        ]);
    }
}
