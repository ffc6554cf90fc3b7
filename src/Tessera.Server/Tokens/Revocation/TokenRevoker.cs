using System.Linq.Expressions;
using Tessera.Server.Apis;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Tokens.RefreshTokens;

namespace Tessera.Server.Tokens.Revocation;

/// <summary>
/// Revokes tokens so introspection reports them inactive from now on: on this node at once, on the others at their next
/// revocation poll. One access token, or a refresh token's whole family with the access tokens issued from it, or
/// everything a user's grant to a client holds — each in a number of statements that does not grow with the tokens.
/// </summary>
internal sealed class TokenRevoker(
    ITesseraDbContextFactory databases, OpaqueTokenCache opaqueCache, PersonalAccessTokenStore personalAccessTokens,
    RevokedJwtList revokedJwts, RevokedTokenHashes revokedHashes, SharedOpaqueTokenCache sharedCache, TimeProvider clock)
{
    public Task RevokeAsync(InspectedToken token, CancellationToken cancellationToken) =>
        token is { Format: AccessTokenFormats.PersonalAccessToken, OpaqueHash: { } hash }
            ? personalAccessTokens.RevokeAsync(hash, cancellationToken)
            : RevokeAccessTokensAsync([new RevocableAccessToken(token.Jti, token.OpaqueHash, token.ExpiresAt)], cancellationToken);

    /// <summary>An access token just issued whose grant turned out to be revoked meanwhile.</summary>
    public Task RevokeAccessTokenAsync(string jti, byte[]? opaqueHash, long expiresAt, CancellationToken cancellationToken) =>
        RevokeAccessTokensAsync([new RevocableAccessToken(jti, opaqueHash, expiresAt)], cancellationToken);

    /// <summary>RFC 9700 §4.14.2 and RFC 7009 §2.1: the family's refresh tokens and the access tokens issued with them.</summary>
    public Task RevokeRefreshFamilyAsync(string familyId, CancellationToken cancellationToken) =>
        RevokeFamiliesAsync(t => t.FamilyId == familyId, cancellationToken);

    /// <summary>A withdrawn grant: every refresh-token family of the user at the client, and so their access tokens.</summary>
    public Task RevokeGrantAsync(string subject, string clientId, CancellationToken cancellationToken) =>
        RevokeFamiliesAsync(t => t.Subject == subject && t.ClientId == clientId, cancellationToken);

    /// <summary>A credential change or an administrator's intervention: every family of the user at every client.</summary>
    public Task RevokeUserGrantsAsync(string subject, CancellationToken cancellationToken) =>
        RevokeFamiliesAsync(t => t.Subject == subject, cancellationToken);

    /// <summary>
    /// Every family <paramref name="families"/> selects (a family's rows share subject and client, so a filter on those
    /// takes whole families), in one transaction: the refresh rows, then the access tokens issued with them.
    /// </summary>
    private async Task RevokeFamiliesAsync(Expression<Func<RefreshToken, bool>> families, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var issued = await RefreshTokenStore.RevokeFamiliesAsync(db, families, now, cancellationToken);
        await WriteAccessTokenRevocationsAsync(db, issued, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ForgetHereAsync(issued, now);
    }

    private async Task RevokeAccessTokensAsync(IReadOnlyList<RevocableAccessToken> tokens, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var db = databases.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await WriteAccessTokenRevocationsAsync(db, tokens, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ForgetHereAsync(tokens, now);
    }

    /// <summary>
    /// At most three statements however many tokens: opaque rows marked revoked, JWT ids onto the deny-list (a JWT has no
    /// row), and one log line each for the other nodes.
    /// </summary>
    private static async Task WriteAccessTokenRevocationsAsync(TesseraDbContext db, IReadOnlyList<RevocableAccessToken> tokens, long now, CancellationToken cancellationToken)
    {
        var live = tokens.Where(t => t.ExpiresAt > now).ToList();
        var opaque = live.Where(t => t.OpaqueHash is not null).Select(t => t.OpaqueHash!).ToList();
        var jwts = live.Where(t => t.OpaqueHash is null).Select(t => (t.Jti, t.ExpiresAt)).ToList();
        if (opaque.Count > 0) await RevocationLog.RevokeOpaqueTokensAsync(db, opaque, now, cancellationToken);
        if (jwts.Count > 0) await RevocationLog.DenyJwtsAsync(db, jwts, cancellationToken);
        var lines = live.Select(t => t.OpaqueHash is { } hash ? (RevocationKind.OpaqueToken, RevocationLog.Key(hash), t.ExpiresAt) : (RevocationKind.Jwt, t.Jti, t.ExpiresAt)).ToList();
        if (lines.Count > 0) await RevocationLog.AppendAsync(db, lines, now, cancellationToken);
    }

    /// <summary>
    /// This node knows at once, and so does the shared cache, before the revocation is answered; the other nodes at their
    /// next revocation poll. The hash joins the list before the cache entry goes (see OpaqueTokenStore.KeepUnlessRevoked).
    /// </summary>
    private async Task ForgetHereAsync(IReadOnlyList<RevocableAccessToken> tokens, long now)
    {
        var marks = new List<Task>();
        foreach (var token in tokens)
        {
            if (token.OpaqueHash is { } hash)
            {
                revokedHashes.Add(hash, token.ExpiresAt, now);
                opaqueCache.Remove(hash);
                marks.Add(sharedCache.MarkRevokedAsync(hash, CancellationToken.None));
            }
            else revokedJwts.Add(token.Jti, token.ExpiresAt, now);
        }
        // A family's opaque tokens at once, not one Redis round trip after another.
        await Task.WhenAll(marks);
    }
}
