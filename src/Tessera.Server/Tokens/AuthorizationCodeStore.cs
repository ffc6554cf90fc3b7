using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens;

/// <summary>What redeeming a code found: the code, or that it was already used (a replay), or nothing.</summary>
public sealed record CodeRedemption(AuthorizationCode? Code, bool Replayed);

/// <summary>Authorization codes: 256 random bits, stored as SHA-256, 60 seconds, consumed by one conditional UPDATE.</summary>
internal sealed class AuthorizationCodeStore(ITesseraDbContextFactory databases, TimeProvider clock)
{
    /// <summary>RFC 6749 §4.1.2: a short lifetime; ten minutes at most, one minute here.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    public async Task<string> CreateAsync(AuthorizationCode code, CancellationToken cancellationToken)
    {
        var value = SecretGenerator.NewSecret();
        code.Hash = OpaqueHandles.Hash(value);
        code.ExpiresAt = clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        await using var db = databases.Create();
        db.AuthorizationCodes.Add(code);
        await db.SaveChangesAsync(cancellationToken);
        return value;
    }

    /// <summary>
    /// RFC 6749 §4.1.2: a code is used once. The UPDATE's row count is the answer, so two redemptions racing on any
    /// number of nodes cannot both succeed.
    /// </summary>
    public async Task<CodeRedemption> RedeemAsync(string value, string clientId, CancellationToken cancellationToken)
    {
        var hash = OpaqueHandles.Hash(value);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        var consumed = await db.AuthorizationCodes
            .Where(c => c.Hash == hash && c.ClientId == clientId && c.ConsumedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, now), cancellationToken);
        var row = await db.AuthorizationCodes.AsNoTracking().SingleOrDefaultAsync(c => c.Hash == hash, cancellationToken);
        if (consumed == 1) return new CodeRedemption(row, Replayed: false);
        // A code already redeemed by its own client is a replay; anything else is simply not a valid code.
        return new CodeRedemption(null, Replayed: row is { ConsumedAt: not null } && row.ClientId == clientId);
    }

    /// <summary>
    /// Records what the redemption issued, so a later replay of the code can revoke it. True when a replay came while
    /// the tokens were being issued: it found nothing to revoke, so the caller must revoke them itself.
    /// </summary>
    /// <remarks>Not cancellable: a redemption that issued tokens must record them, or a replay could not revoke them.</remarks>
    public async Task<bool> RecordIssuedAsync(byte[] codeHash, IssuedAccessToken token, long expiresAt, string? refreshFamilyId)
    {
        await using var db = databases.Create();
        await db.AuthorizationCodes.Where(c => c.Hash == codeHash).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.IssuedTokenJti, token.Jti)
            .SetProperty(c => c.IssuedTokenHash, token.OpaqueHash)
            .SetProperty(c => c.IssuedTokenExpiresAt, expiresAt)
            .SetProperty(c => c.IssuedRefreshFamilyId, refreshFamilyId), CancellationToken.None);
        // Recorded first, checked second; the replay marks first, reads second: whichever comes last revokes.
        return await db.AuthorizationCodes.Where(c => c.Hash == codeHash).Select(c => c.ReplayedAt != null).SingleAsync(CancellationToken.None);
    }

    /// <summary>Marks the code as replayed, then returns what its redemption has recorded so far.</summary>
    public async Task<AuthorizationCode?> MarkReplayedAsync(byte[] codeHash)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        await db.AuthorizationCodes.Where(c => c.Hash == codeHash).ExecuteUpdateAsync(s => s.SetProperty(c => c.ReplayedAt, now), CancellationToken.None);
        return await FindAsync(db, codeHash);
    }

    public async Task<AuthorizationCode?> FindAsync(byte[] codeHash)
    {
        await using var db = databases.Create();
        return await FindAsync(db, codeHash);
    }

    private static Task<AuthorizationCode?> FindAsync(TesseraDbContext db, byte[] codeHash) =>
        db.AuthorizationCodes.AsNoTracking().SingleOrDefaultAsync(c => c.Hash == codeHash, CancellationToken.None);
}
