using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Tessera.Server.Storage.Tokens;

/// <summary>
/// Writes revocations in a number of statements that does not grow with the number of tokens: one multi-row INSERT per
/// table (per <see cref="RowsPerStatement"/> rows). The SQL is the same on SQLite and PostgreSQL.
/// </summary>
internal static class RevocationLog
{
    /// <summary>At most three parameters a row: far below either database's parameter limit.</summary>
    public const int RowsPerStatement = 500;

    /// <summary>The key of a hashed token (opaque access token, PAT) in the log.</summary>
    public static string Key(byte[] hash) => Convert.ToBase64String(hash);

    /// <summary>Appends one line per revoked thing; the caller's transaction decides when other nodes can read them.</summary>
    public static async Task AppendAsync(
        TesseraDbContext db, IReadOnlyCollection<(RevocationKind Kind, string Key, long ExpiresAt)> lines, long now, CancellationToken cancellationToken)
    {
        foreach (var chunk in lines.Chunk(RowsPerStatement))
        {
            var values = new List<object>(chunk.Length * 3 + 1) { now };
            var sql = new StringBuilder("""INSERT INTO "RevocationEvents" ("CreatedAt", "Kind", "Key", "ExpiresAt") VALUES """);
            foreach (var (kind, key, expiresAt) in chunk)
            {
                if (values.Count > 1) sql.Append(", ");
                sql.Append("({0}, {").Append(values.Count).Append("}, {").Append(values.Count + 1).Append("}, {").Append(values.Count + 2).Append("})");
                values.Add((short)kind);
                values.Add(key);
                values.Add(expiresAt);
            }
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), values, cancellationToken);
        }
    }

    /// <summary>RFC 7009: the JWTs' ids join the deny-list until they would have expired anyway; one already there stays.</summary>
    public static async Task DenyJwtsAsync(TesseraDbContext db, IReadOnlyCollection<(string Jti, long ExpiresAt)> jwts, CancellationToken cancellationToken)
    {
        foreach (var chunk in jwts.Chunk(RowsPerStatement))
        {
            var values = new List<object>(chunk.Length * 2);
            var sql = new StringBuilder("""INSERT INTO "RevokedJwts" ("Jti", "ExpiresAt") VALUES """);
            foreach (var (jti, expiresAt) in chunk)
            {
                if (values.Count > 0) sql.Append(", ");
                sql.Append("({").Append(values.Count).Append("}, {").Append(values.Count + 1).Append("})");
                values.Add(jti);
                values.Add(expiresAt);
            }
            // A retry, or two nodes revoking the same token at once: the outcome is the same.
            sql.Append(""" ON CONFLICT ("Jti") DO NOTHING""");
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), values, cancellationToken);
        }
    }

    /// <summary>Marks the opaque access tokens with these hashes revoked (a token already revoked keeps its time).</summary>
    public static async Task RevokeOpaqueTokensAsync(TesseraDbContext db, IReadOnlyCollection<byte[]> hashes, long now, CancellationToken cancellationToken)
    {
        foreach (var chunk in hashes.Chunk(RowsPerStatement))
        {
            var values = new List<object>(chunk.Length + 1) { now };
            var sql = new StringBuilder("""UPDATE "OpaqueTokens" SET "RevokedAt" = {0} WHERE "RevokedAt" IS NULL AND "Hash" IN (""");
            foreach (var hash in chunk)
            {
                sql.Append(values.Count > 1 ? ", {" : "{").Append(values.Count).Append('}');
                values.Add(hash);
            }
            await db.Database.ExecuteSqlRawAsync(sql.Append(')').ToString(), values, cancellationToken);
        }
    }
}
