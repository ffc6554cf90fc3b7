using System.Data;
using System.Data.Common;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.Opaque;

namespace Tessera.Server.Tokens.RefreshTokens;

/// <summary>Refresh tokens: 256 random bits behind <c>tsr_rt_</c>, stored as SHA-256, rotated by one conditional UPDATE.</summary>
internal sealed class RefreshTokenStore(ITesseraDbContextFactory databases)
{
    /// <summary>
    /// Stores the row under a new random handle and returns the handle. A rotation (<paramref name="continuesFamily"/>)
    /// writes the row only if its family is not revoked, in the same statement: null then, and nothing was stored.
    /// </summary>
    public async Task<string?> CreateAsync(RefreshToken token, bool continuesFamily, CancellationToken cancellationToken)
    {
        var value = OpaqueHandles.NewRefreshToken();
        token.Hash = OpaqueHandles.Hash(value);
        await using var db = databases.Create();
        if (!continuesFamily)
        {
            db.RefreshTokens.Add(token);
            await db.SaveChangesAsync(cancellationToken);
            return value;
        }
        return await InsertUnlessFamilyRevokedAsync(db, token, cancellationToken) == 1 ? value : null;
    }

    public async Task<RefreshToken?> FindAsync(string value, CancellationToken cancellationToken) =>
        (await FindWithUserAsync(value, cancellationToken))?.Token;

    /// <summary>The row and the user it was issued to (null when deleted since), in one read.</summary>
    public async Task<(RefreshToken Token, TesseraUser? User)?> FindWithUserAsync(string value, CancellationToken cancellationToken)
    {
        if (!value.StartsWith(OpaqueHandles.RefreshTokenPrefix, StringComparison.Ordinal)) return null;
        var hash = OpaqueHandles.Hash(value);
        await using var db = databases.Create();
        var found = await (
            from t in db.RefreshTokens.AsNoTracking()
            where t.Hash == hash
            join u in db.Users.AsNoTracking() on t.Subject equals u.Id into users
            from u in users.DefaultIfEmpty()
            select new { Token = t, User = u }).SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.Token, found.User);
    }

    /// <summary>
    /// RFC 9700 §4.14.2: a refresh token is rotated once. The UPDATE's row count is the answer, so two uses racing on
    /// any number of nodes cannot both rotate it; a token whose family was revoked is never consumed.
    /// </summary>
    public async Task<bool> ConsumeAsync(byte[] hash, long now, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        var consumed = await db.RefreshTokens
            .Where(t => t.Hash == hash && t.ConsumedAt == null && t.RevokedAt == null && t.ExpiresAt > now
                && !db.RefreshTokens.Any(f => f.FamilyId == t.FamilyId && f.RevokedAt != null))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), cancellationToken);
        return consumed == 1;
    }

    public async Task<bool> IsFamilyRevokedAsync(string familyId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        return await db.RefreshTokens.AnyAsync(t => t.FamilyId == familyId && t.RevokedAt != null, cancellationToken);
    }

    /// <summary>
    /// Marks every row of the selected families revoked, in two statements however many rows; returns the access tokens
    /// issued with them that have not expired, so the caller revokes those in the same transaction.
    /// </summary>
    public static async Task<List<RevocableAccessToken>> RevokeFamiliesAsync(
        TesseraDbContext db, Expression<Func<RefreshToken, bool>> families, long now, CancellationToken cancellationToken)
    {
        await db.RefreshTokens.Where(families).Where(t => t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        // Rows revoked before too (a session's end revokes only refresh tokens): their access tokens go now.
        return await db.RefreshTokens.AsNoTracking().Where(families)
            .Where(t => t.AccessTokenJti != null && t.AccessTokenExpiresAt > now)
            .Select(t => new RevocableAccessToken(t.AccessTokenJti!, t.AccessTokenHash, t.AccessTokenExpiresAt!.Value))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// One statement: the rotated row goes in only while no row of its family is revoked, so a reuse detected on another
    /// node between this rotation's UPDATE and its INSERT leaves no live child behind.
    /// </summary>
    private static Task<int> InsertUnlessFamilyRevokedAsync(TesseraDbContext db, RefreshToken token, CancellationToken cancellationToken)
    {
        // Typed parameters: PostgreSQL cannot infer a type for a NULL in a SELECT list.
        var factory = DbProviderFactories.GetFactory(db.Database.GetDbConnection())!;
        DbParameter Parameter(string name, object? value, DbType type)
        {
            var parameter = factory.CreateParameter()!;
            parameter.ParameterName = name;
            parameter.DbType = type;
            parameter.Value = value ?? DBNull.Value;
            return parameter;
        }

        return db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "RefreshTokens" ("Hash", "FamilyId", "ClientId", "Subject", "Scope", "AuthTime", "Amr", "SessionId", "SessionBound",
                "IssuedAt", "ExpiresAt", "AccessTokenJti", "AccessTokenHash", "AccessTokenExpiresAt", "Jkt")
            SELECT @hash, @family, @client, @subject, @scope, @authTime, @amr, @session, @sessionBound,
                @issuedAt, @expiresAt, @accessJti, @accessHash, @accessExpiresAt, @jkt
            WHERE NOT EXISTS (SELECT 1 FROM "RefreshTokens" WHERE "FamilyId" = @family AND "RevokedAt" IS NOT NULL)
            """,
            [
                Parameter("hash", token.Hash, DbType.Binary), Parameter("family", token.FamilyId, DbType.String),
                Parameter("client", token.ClientId, DbType.String), Parameter("subject", token.Subject, DbType.String),
                Parameter("scope", token.Scope, DbType.String), Parameter("authTime", token.AuthTime, DbType.Int64),
                Parameter("amr", token.Amr, DbType.String), Parameter("session", token.SessionId, DbType.String),
                Parameter("sessionBound", token.SessionBound, DbType.Boolean), Parameter("issuedAt", token.IssuedAt, DbType.Int64),
                Parameter("expiresAt", token.ExpiresAt, DbType.Int64), Parameter("accessJti", token.AccessTokenJti, DbType.String),
                Parameter("accessHash", token.AccessTokenHash, DbType.Binary), Parameter("accessExpiresAt", token.AccessTokenExpiresAt, DbType.Int64),
                Parameter("jkt", token.Jkt, DbType.String),
            ],
            cancellationToken);
    }
}
