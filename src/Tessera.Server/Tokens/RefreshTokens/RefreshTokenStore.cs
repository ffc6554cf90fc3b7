using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tokens.Opaque;

namespace Tessera.Server.Tokens.RefreshTokens;

/// <summary>Refresh tokens: 256 random bits behind <c>tsr_rt_</c>, stored as SHA-256, rotated by one conditional UPDATE.</summary>
internal sealed class RefreshTokenStore(ITesseraDbContextFactory databases)
{
    /// <summary>Stores the row under a new random handle and returns the handle.</summary>
    public async Task<string> CreateAsync(RefreshToken token, CancellationToken cancellationToken)
    {
        var value = OpaqueHandles.NewRefreshToken();
        token.Hash = OpaqueHandles.Hash(value);
        await using var db = databases.Create();
        db.RefreshTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return value;
    }

    public async Task<RefreshToken?> FindAsync(string value, CancellationToken cancellationToken)
    {
        if (!value.StartsWith(OpaqueHandles.RefreshTokenPrefix, StringComparison.Ordinal)) return null;
        var hash = OpaqueHandles.Hash(value);
        await using var db = databases.Create();
        return await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, cancellationToken);
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

    /// <summary>Marks every row of the family revoked; returns the family's rows, which name the access tokens issued with them.</summary>
    public async Task<List<RefreshToken>> RevokeFamilyAsync(string familyId, long now, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        await db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        return await db.RefreshTokens.AsNoTracking().Where(t => t.FamilyId == familyId).ToListAsync(cancellationToken);
    }

    /// <summary>The families a user's grant to a client holds that are not revoked yet.</summary>
    public async Task<List<string>> FamiliesAsync(string subject, string clientId, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        return await db.RefreshTokens.AsNoTracking()
            .Where(t => t.Subject == subject && t.ClientId == clientId && t.RevokedAt == null)
            .Select(t => t.FamilyId).Distinct().ToListAsync(cancellationToken);
    }

    /// <summary>Every family of the user, at every client, that is not revoked yet.</summary>
    public async Task<List<string>> FamiliesAsync(string subject, CancellationToken cancellationToken)
    {
        await using var db = databases.Create();
        return await db.RefreshTokens.AsNoTracking()
            .Where(t => t.Subject == subject && t.RevokedAt == null)
            .Select(t => t.FamilyId).Distinct().ToListAsync(cancellationToken);
    }
}
