using Microsoft.Extensions.Options;
using Tessera.Server.Apis;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Grants;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Telemetry;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Tokens.RefreshTokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>
/// RFC 7662: token introspection for authenticated clients — a token's own client, and resource servers registered
/// with <c>introspects</c> for the token's API (<see cref="IntrospectionAudience"/>).
/// </summary>
internal static class IntrospectionEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, ClientAuthentication clientAuthentication, AccessTokenInspector inspector,
        RefreshTokenStore refreshTokens, TokenUserClaims userClaims, SnapshotCache snapshots, IssuerUrls urls, IOptions<TesseraOptions> options,
        TimeProvider clock, TesseraMetrics metrics)
    {
        var request = await TokenParameterRequest.ReadAsync(context, clientAuthentication, snapshots.Current.Catalog, urls.Introspection, options.Value.Limits.MaxFormBytes);
        if (request.Failed) return ProtocolResults.Error(request.Error);

        if (request.Value.Token.StartsWith(OpaqueHandles.RefreshTokenPrefix, StringComparison.Ordinal))
            return await RefreshTokenAsync(request.Value, refreshTokens, urls, clock, metrics, context.RequestAborted);

        var inspected = await inspector.InspectAsync(request.Value.Token, context.RequestAborted);

        // RFC 7662 §2.2: an inactive token gets only "active": false, whatever the reason. RFC 7662 §4: so does a caller
        // that is neither the token's client nor a resource server of its audience — it learns nothing about it.
        if (inspected is null || !IntrospectionAudience.MayIntrospect(request.Value.Client, inspected, snapshots.Current.Catalog))
        {
            metrics.Introspected(active: false);
            return ProtocolResults.Json(json => json.WriteBoolean(Claims.Active, false));
        }
        metrics.Introspected(active: true);
        // A PAT's roles and attributes are the user's current ones; other tokens carry theirs from issuance.
        var userClaimsJson = inspected.Format == AccessTokenFormats.PersonalAccessToken
            ? await userClaims.ForPersonalAccessTokenAsync(inspected, snapshots.Current.Catalog, context.RequestAborted)
            : inspected.UserClaimsJson;
        return ProtocolResults.Json(json =>
        {
            json.WriteBoolean(Claims.Active, true);
            json.WriteString(Claims.Scope, inspected.Scope);
            if (inspected.ClientId is not null) json.WriteString(Claims.ClientId, inspected.ClientId);
            json.WriteString(Claims.Subject, inspected.Subject);
            if (inspected.Audiences.Count == 1)
            {
                json.WriteString(Claims.Audience, inspected.Audiences[0]);
            }
            else
            {
                json.WriteStartArray(Claims.Audience);
                foreach (var audience in inspected.Audiences) json.WriteStringValue(audience);
                json.WriteEndArray();
            }
            json.WriteString(Claims.Issuer, urls.Issuer);
            json.WriteNumber(Claims.ExpiresAt, inspected.ExpiresAt);
            json.WriteNumber(Claims.IssuedAt, inspected.IssuedAt);
            json.WriteString(Claims.JwtId, inspected.Jti);
            // RFC 7662 §2.2 allows further claims: the user's sign-in, for an API that wants a recent one.
            if (inspected.AuthTime is { } authTime) json.WriteNumber(Claims.AuthTime, authTime);
            // RFC 9068 §2.2.1's acr and amr, as a JWT access token would carry them.
            if (inspected.Amr.Length > 0)
            {
                json.WriteString(Claims.Acr, AuthenticationContextClasses.Of(inspected.Amr));
                json.WriteStartArray(Claims.Amr);
                foreach (var method in SpaceDelimited.Split(inspected.Amr)) json.WriteStringValue(method);
                json.WriteEndArray();
            }
            // RFC 7662 §2.2: other claims may be added; these are the roles and attributes the token's API asked for.
            if (userClaimsJson is not null)
            {
                foreach (var claim in System.Text.Json.JsonElement.Parse(userClaimsJson).EnumerateObject()) claim.WriteTo(json);
            }
            // RFC 9449 §6.2: a bound token's key, for the resource to compare with the proof's; its type is DPoP.
            if (inspected.Jkt is not null)
            {
                json.WriteStartObject(Claims.Confirmation);
                json.WriteString(Claims.KeyThumbprint, inspected.Jkt);
                json.WriteEndObject();
            }
            json.WriteString(Claims.TokenType, inspected.Jkt is null ? TokenTypes.Bearer : TokenTypes.DPoP);
        });
    }

    /// <summary>
    /// A refresh token is active for its own client only (other callers learn nothing): not rotated, revoked or
    /// expired, and its family intact. RFC 7662 §2.2: token_type refresh_token.
    /// </summary>
    private static async Task<IResult> RefreshTokenAsync(
        TokenParameterRequest request, RefreshTokenStore refreshTokens, IssuerUrls urls, TimeProvider clock, TesseraMetrics metrics,
        CancellationToken cancellationToken)
    {
        var row = await refreshTokens.FindAsync(request.Token, cancellationToken);
        var active = row is { ConsumedAt: null, RevokedAt: null } && row.ExpiresAt > clock.GetUtcNow().ToUnixTimeSeconds()
            && row.ClientId == request.Client.ClientId && !await refreshTokens.IsFamilyRevokedAsync(row.FamilyId, cancellationToken);
        metrics.Introspected(active);
        if (!active) return ProtocolResults.Json(json => json.WriteBoolean(Claims.Active, false));
        return ProtocolResults.Json(json =>
        {
            json.WriteBoolean(Claims.Active, true);
            json.WriteString(Claims.Scope, row!.Scope);
            json.WriteString(Claims.ClientId, row.ClientId);
            json.WriteString(Claims.Subject, row.Subject);
            json.WriteString(Claims.Issuer, urls.Issuer);
            json.WriteNumber(Claims.ExpiresAt, row.ExpiresAt);
            json.WriteNumber(Claims.IssuedAt, row.IssuedAt);
            json.WriteString(Claims.TokenType, TokenTypes.RefreshToken);
        });
    }
}
