using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Storage;
using Tessera.Testing;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>
/// A backlog of expired opaque-token rows, written in one INSERT … SELECT (hundreds of thousands of tokens cannot be
/// issued over HTTP in a test's time). The rows have the columns the opaque store writes; they belong to a client id of
/// their own, so the tokens a test issues beside them are never counted.
/// </summary>
public static class ExpiredBacklog
{
    public const string ClientId = "expired-backlog";

    public static async Task InsertAsync(TesseraServer server, int rows)
    {
        // Expired an hour to two hours ago, spread over the expiry index as real tokens would be.
        var expiredBy = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;
        var sql = server.Provider == "postgres"
            ? $"""
               INSERT INTO "OpaqueTokens" ("Hash", "Jti", "ClientId", "Subject", "Audiences", "Scope", "IssuedAt", "ExpiresAt", "RevokedAt", "AuthTime", "Amr", "UserClaims")
               SELECT int8send(i), i::text, '{ClientId}', '{ClientId}', 'https://api.example/ledger', 'ledger',
                      {expiredBy} - 3600 - i % 3600, {expiredBy} - i % 3600, NULL, NULL, '', NULL
               FROM generate_series(1, {rows}) AS i
               """
            : $"""
               WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
               INSERT INTO "OpaqueTokens" ("Hash", "Jti", "ClientId", "Subject", "Audiences", "Scope", "IssuedAt", "ExpiresAt", "RevokedAt", "AuthTime", "Amr", "UserClaims")
               SELECT randomblob(32), hex(randomblob(16)), '{ClientId}', '{ClientId}', 'https://api.example/ledger', 'ledger',
                      {expiredBy} - 3600 - i % 3600, {expiredBy} - i % 3600, NULL, NULL, '', NULL
               FROM n
               """;
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(2));
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    // On PostgreSQL the handle's hash is the row number's eight bytes (no real hash is that short): hashing half a
    // million rows doubled the INSERT's time. Deleted by expiry, the rows are still spread over the whole key index.

    /// <summary>The backlog's rows still in the table (read only: whether they are gone is the server's doing).</summary>
    public static async Task<long> RemainingAsync(TesseraServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TesseraDbContext>().OpaqueTokens.LongCountAsync(t => t.ClientId == ClientId);
    }
}
