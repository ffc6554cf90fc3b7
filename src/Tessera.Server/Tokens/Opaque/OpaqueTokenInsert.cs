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
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _sqlByRowCount.GetOrAdd(rows.Count, count => BuildSql(db, count));
            var index = 0;
            foreach (var row in rows)
            {
                Add(command, index++, row.Hash);
                Add(command, index++, row.Jti);
                Add(command, index++, row.ClientId);
                Add(command, index++, row.Subject);
                Add(command, index++, row.Audiences);
                Add(command, index++, row.Scope);
                Add(command, index++, row.IssuedAt);
                Add(command, index++, row.ExpiresAt);
                Add(command, index++, row.AuthTime is { } authTime ? authTime : DBNull.Value);
                Add(command, index++, row.UserClaims is { } userClaims ? userClaims : DBNull.Value);
                Add(command, index++, row.Amr);
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add(DbCommand command, int index, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@p" + index;
        parameter.Value = value;
        command.Parameters.Add(parameter);
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
            Column(nameof(OpaqueToken.UserClaims)), Column(nameof(OpaqueToken.Amr)),
        ]);
    }
}
