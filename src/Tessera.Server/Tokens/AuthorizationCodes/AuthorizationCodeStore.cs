using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.AuthorizationCodes;

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
    /// number of nodes cannot both succeed. Null when the code cannot be redeemed (unknown, expired, another client's,
    /// or used: <see cref="MarkReplayedAsync"/> tells the last apart).
    /// </summary>
    public async Task<AuthorizationCode?> RedeemAsync(string value, string clientId, CancellationToken cancellationToken)
    {
        var hash = OpaqueHandles.Hash(value);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        var consumed = await db.AuthorizationCodes
            .Where(c => c.Hash == hash && c.ClientId == clientId && c.ConsumedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, now), cancellationToken);
        if (consumed == 0) return null;
        return await db.AuthorizationCodes.AsNoTracking().SingleAsync(c => c.Hash == hash, cancellationToken);
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

    /// <summary>
    /// A code that could not be redeemed but was redeemed before by this same client is a replay: marks it, then returns
    /// what its redemption has recorded so far. Null when it is no replay (an unknown, expired or another client's code).
    /// </summary>
    public async Task<AuthorizationCode?> MarkReplayedAsync(string value, string clientId)
    {
        var hash = OpaqueHandles.Hash(value);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        var replayed = await db.AuthorizationCodes.Where(c => c.Hash == hash && c.ClientId == clientId && c.ConsumedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ReplayedAt, now), CancellationToken.None);
        return replayed == 0 ? null : await FindAsync(db, hash);
    }

    public async Task<AuthorizationCode?> FindAsync(byte[] codeHash)
    {
        await using var db = databases.Create();
        return await FindAsync(db, codeHash);
    }

    private static Task<AuthorizationCode?> FindAsync(TesseraDbContext db, byte[] codeHash) =>
        db.AuthorizationCodes.AsNoTracking().SingleOrDefaultAsync(c => c.Hash == codeHash, CancellationToken.None);
}
