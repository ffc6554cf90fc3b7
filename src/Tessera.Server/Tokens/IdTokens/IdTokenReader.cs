using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Keys;

namespace Tessera.Server.Tokens.IdTokens;

/// <summary>An ID token this server issued: the client it was issued to, the user, and when it expires.</summary>
internal sealed record ReadIdToken(RegisteredClient Client, string Subject, long ExpiresAt);

/// <summary>
/// Reads ID tokens this server issued, for RP-Initiated Logout (id_token_hint) and token exchange (subject_token):
/// our RS256 keys, our issuer, typ JWT (an access token is not an ID token), exactly one audience that is a client.
/// </summary>
internal sealed class IdTokenReader(JsonWebTokenHandler handler, SnapshotCache snapshots, KeyRingReloader keyReloader, IssuerUrls urls)
{
    /// <param name="checkLifetime">RP-Initiated Logout §2 accepts an expired hint; a token exchange does not.</param>
    public async ValueTask<ReadIdToken?> ReadAsync(string token, bool checkLifetime)
    {
        if (token.Length > 16 * 1024 || !handler.CanReadToken(token)) return null;
        var snapshot = snapshots.Current;
        var result = await handler.ValidateTokenAsync(token, Parameters(snapshot, checkLifetime));
        // An ID token signed by another node with a key it has just rotated to: reload our keys before deciding.
        if (!result.IsValid && await keyReloader.ReloadedForAsync(token, result, urls.Issuer))
        {
            snapshot = snapshots.Current;
            result = await handler.ValidateTokenAsync(token, Parameters(snapshot, checkLifetime));
        }
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt) return null;
        var audiences = jwt.Audiences.ToList();
        if (audiences.Count != 1 || string.IsNullOrEmpty(jwt.Subject)) return null;
        var expiresAt = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc)).ToUnixTimeSeconds();
        return snapshot.Catalog.FindClient(audiences[0]) is { } client ? new ReadIdToken(client, jwt.Subject, expiresAt) : null;
    }

    private TokenValidationParameters Parameters(Snapshot snapshot, bool checkLifetime) =>
        new()
        {
            ValidIssuer = urls.Issuer,
            ValidateAudience = false,
            ValidateLifetime = checkLifetime,
            RequireExpirationTime = true,
            // Our own clock issued exp: an expired ID token is expired now, not a little later.
            ClockSkew = TimeSpan.Zero,
            ValidTypes = ["JWT"],
            ValidAlgorithms = [SigningAlgorithms.RS256],
            IssuerSigningKeys = snapshot.Keys.Keys.Where(k => k.Algorithm == SigningAlgorithms.RS256).Select(k => (SecurityKey)k.Key).ToList(),
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
        };
}
