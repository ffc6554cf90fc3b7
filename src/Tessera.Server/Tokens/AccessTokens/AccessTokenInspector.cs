using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Protocol;
using Tessera.Server.Apis;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Keys;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.AccessTokens;

/// <summary>
/// Decides whether an access token Tessera issued is active: used by introspection, revocation, UserInfo, token exchange
/// and the built-in APIs' scheme (LocalBearer/LocalBearerHandler).
/// A personal access token counts as an access token here, so everything built on this accepts PATs too.
/// Anything unknown, malformed, expired, revoked or badly signed is simply not active.
/// </summary>
internal sealed partial class AccessTokenInspector(
    JsonWebTokenHandler handler,
    RevokedJwtList revokedJwts,
    OpaqueTokenStore store,
    PersonalAccessTokenStore personalAccessTokens,
    PersonalAccessTokenUsage personalAccessTokenUsage,
    SnapshotCache snapshots,
    KeyRingReloader keyReloader,
    Users.DisabledUsers disabledUsers,
    IOptions<TesseraOptions> options,
    TimeProvider clock,
    ILogger<AccessTokenInspector> logger)
{
    public async ValueTask<InspectedToken?> InspectAsync(string token, CancellationToken cancellationToken)
    {
        var inspected = await InspectTokenAsync(token, cancellationToken);
        // A disabled user's tokens are inactive until they expire (enabling again does not bring back revoked ones).
        // This node's in-memory set: no database read on this path.
        return inspected is not null && disabledUsers.Contains(inspected.Subject) ? null : inspected;
    }

    private async ValueTask<InspectedToken?> InspectTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (token.StartsWith(OpaqueHandles.AccessTokenPrefix, StringComparison.Ordinal))
            return await InspectOpaqueAsync(token, cancellationToken);
        if (PersonalAccessTokenFormat.HasPrefix(token))
            return await InspectPersonalAsync(token, cancellationToken);
        if (token.Length < 16 * 1024 && handler.CanReadToken(token))
            return await InspectJwtAsync(token);
        return null;
    }

    private async Task<InspectedToken?> InspectOpaqueAsync(string handle, CancellationToken cancellationToken)
    {
        var hash = OpaqueHandles.Hash(handle);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var row = await store.FindActiveAsync(hash, cancellationToken);
        if (row is null || row.ExpiresAt <= now || !IssuedToARegisteredClient(row.ClientId, row.IssuedAt)) return null;
        return new InspectedToken(AccessTokenFormats.Opaque, row.Jti, row.Subject, row.ClientId,
            SpaceDelimited.Split(row.Audiences), row.Scope, row.IssuedAt, row.ExpiresAt, hash)
        { AuthTime = row.AuthTime, UserClaimsJson = row.UserClaims, Amr = row.Amr, Jkt = row.Jkt };
    }

    private async Task<InspectedToken?> InspectPersonalAsync(string token, CancellationToken cancellationToken)
    {
        // A bad checksum is a typo or a guess: no database read for it.
        if (!PersonalAccessTokenFormat.IsWellFormed(token)) return null;
        var hash = OpaqueHandles.Hash(token);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var row = await personalAccessTokens.FindAsync(hash, cancellationToken);
        if (row is null || row.RevokedAt is not null || row.ExpiresAt <= now) return null;

        // The audiences are the APIs its scopes belong to now; a scope whose API is gone, or no longer accepts PATs, grants nothing.
        var catalog = snapshots.Current.Catalog;
        var scopes = SpaceDelimited.Split(row.Scope)
            .Where(s => catalog.ApisByScope.TryGetValue(s, out var api) && api.AcceptsPersonalAccessTokens).ToList();
        if (scopes.Count == 0) return null;
        var audiences = scopes.Select(s => catalog.ApisByScope[s].Audience).Distinct(StringComparer.Ordinal).ToList();
        personalAccessTokenUsage.Record(row.Id);
        return new InspectedToken(AccessTokenFormats.PersonalAccessToken, row.Id, row.UserId, row.ClientId, audiences,
            SpaceDelimited.Join(scopes), row.CreatedAt, row.ExpiresAt, hash)
        { Jkt = row.Jkt };
    }

    private async Task<InspectedToken?> InspectJwtAsync(string jwt)
    {
        var snapshot = snapshots.Current;
        var result = await handler.ValidateTokenAsync(jwt, Parameters(snapshot));
        // A key another node has just rotated to: decide only after reloading our keys, or a revocation would be lost.
        if (!result.IsValid && await keyReloader.ReloadedForAsync(jwt, result, options.Value.Issuer))
        {
            snapshot = snapshots.Current;
            result = await handler.ValidateTokenAsync(jwt, Parameters(snapshot));
        }
        if (!result.IsValid)
        {
            Log.JwtNotActive(logger, result.Exception?.GetType().Name);
            return null;
        }

        var token = (JsonWebToken)result.SecurityToken;
        var audiences = token.Audiences.ToList();
        // A shared secret vouches only for its own API: a token signed with API A's secret naming API B is forged.
        if (token.SigningKey is SymmetricSecurityKey && !SignedByItsOwnApi(token, audiences, snapshot.Catalog)) return null;
        if (!token.TryGetPayloadValue<string>(Claims.ClientId, out var clientId) || string.IsNullOrEmpty(token.Id)) return null;
        var issuedAt = ToUnix(token.IssuedAt);
        if (!IssuedToARegisteredClient(clientId, issuedAt)) return null;
        token.TryGetPayloadValue<string>(Claims.Scope, out var scope);
        long? authTime = token.TryGetPayloadValue<long>(Claims.AuthTime, out var signedInAt) ? signedInAt : null;
        var amr = token.TryGetPayloadValue<string[]>(Claims.Amr, out var methods) ? string.Join(' ', methods) : "";

        // RFC 7009 §2.2: a revoked JWT is inactive. This node's copy of the deny-list: no database read on this path.
        if (revokedJwts.Contains(token.Id)) return null;

        return new InspectedToken(AccessTokenFormats.Jwt, token.Id, token.Subject, clientId, audiences, scope ?? "",
            issuedAt, ToUnix(token.ValidTo), OpaqueHash: null)
        {
            SignedWithSharedSecret = token.SigningKey is SymmetricSecurityKey,
            AuthTime = authTime,
            Amr = amr,
            UserClaimsJson = UserClaimsOf(token, audiences, snapshot.Catalog),
            Jkt = KeyThumbprintOf(token),
        };
    }

    /// <summary>The user claims the token's APIs ask for, as the token carries them (for the introspection answer).</summary>
    private static string? UserClaimsOf(JsonWebToken token, List<string> audiences, ClientCatalog catalog)
    {
        // Every JWT inspection passes here (introspection, Tessera's own APIs): nothing is allocated when no API asks.
        if (!audiences.Any(a => catalog.ApisByAudience.TryGetValue(a, out var api) && api.TokenClaims.Count > 0)) return null;
        var names = audiences.Where(catalog.ApisByAudience.ContainsKey).SelectMany(a => catalog.ApisByAudience[a].TokenClaims).Distinct(StringComparer.Ordinal).ToList();
        var found = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            // As IdentityModel read it: a string, number or boolean, or a JsonElement for an array.
            if (token.TryGetPayloadValue<object>(name, out var value) && value is not null) found[name] = value;
        }
        return found.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(found);
    }

    /// <summary>RFC 9449 §6.1: cnf.jkt of a DPoP-bound token; null for a Bearer token.</summary>
    private static string? KeyThumbprintOf(JsonWebToken token) =>
        token.TryGetPayloadValue<System.Text.Json.JsonElement>(Claims.Confirmation, out var cnf) && cnf.ValueKind == System.Text.Json.JsonValueKind.Object
        && cnf.TryGetProperty(Claims.KeyThumbprint, out var jkt) && jkt.ValueKind == System.Text.Json.JsonValueKind.String
            ? jkt.GetString()
            : null;

    /// <summary>
    /// A deleted client's access tokens die with it (RFC 7662 §2.2 leaves "active" to the server), also when a new client
    /// takes its id later. Times are whole seconds: a client deleted and registered again within the second its last
    /// token was issued would get that token back; that takes a script, and the token still expires with its API's lifetime.
    /// A PAT belongs to its user, not to the client that minted it, and is not checked here. A client known by its
    /// metadata document cannot be deleted, and another node may not have read its document: its tokens stand.
    /// </summary>
    private bool IssuedToARegisteredClient(string clientId, long issuedAt) =>
        snapshots.Current.Catalog.FindClient(clientId) is { } client
            ? issuedAt >= client.RegisteredAt
            : options.Value.ClientIdMetadataDocuments.Enabled && DocumentClients.IsDocumentUrl(clientId);

    private static bool SignedByItsOwnApi(JsonWebToken token, List<string> audiences, ClientCatalog catalog) =>
        audiences.Count == 1 && catalog.ApisByAudience.TryGetValue(audiences[0], out var api)
        && api.SharedKey is not null && api.SharedKey.KeyId == token.SigningKey.KeyId;

    private TokenValidationParameters Parameters(Snapshot snapshot)
    {
        var keys = new List<SecurityKey>(snapshot.Keys.Keys.Count + 4);
        keys.AddRange(snapshot.Keys.Keys.Select(k => k.Key));
        keys.AddRange(snapshot.Catalog.Apis.Where(a => a.SharedKey is not null).Select(a => (SecurityKey)a.SharedKey!));
        return new TokenValidationParameters
        {
            ValidIssuer = options.Value.Issuer,
            ValidAudiences = snapshot.Catalog.ApisByAudience.Keys,
            // RFC 9068 §4: the typ header must be at+jwt.
            ValidTypes = [TokenTypes.AccessTokenJwtType],
            IssuerSigningKeys = keys,
            // Only algorithms Tessera signs with: never "none", and never an RSA key used as an HMAC secret.
            ValidAlgorithms = [.. SigningAlgorithms.Asymmetric, .. SigningAlgorithms.Symmetric],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            // Our own clock issued exp: an expired token is inactive now, not a little later.
            ClockSkew = TimeSpan.Zero,
            TryAllIssuerSigningKeys = false,
        };
    }

    private static long ToUnix(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeSeconds();
}
