using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Tokens;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>RFC 7662: token introspection for authenticated clients (resource servers).</summary>
internal static class IntrospectionEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, ClientAuthentication clientAuthentication, AccessTokenInspector inspector,
        SnapshotCache snapshots, IssuerUrls urls, IOptions<TesseraOptions> options)
    {
        var form = await ProtocolForm.ReadAsync(context.Request, options.Value.Limits.MaxFormBytes);
        if (form.Failed) return ProtocolResults.Error(form.Error);

        // RFC 7662 §2.1: the caller must be authorized, so the endpoint cannot be used to scan for tokens.
        var client = await clientAuthentication.AuthenticateAsync(context.Request, form.Value, snapshots.Current.Catalog, urls.Introspection);
        if (client.Failed) return ProtocolResults.Error(client.Error);

        var token = form.Value[Parameters.Token];
        if (token is null) return ProtocolResults.Error(OAuthError.InvalidRequest("token is required"));

        // RFC 7662 §2.1: token_type_hint is only a hint; every kind is searched regardless.
        var inspected = await inspector.InspectAsync(token, context.RequestAborted);

        // RFC 7662 §2.2: an inactive token gets only "active": false, whatever the reason.
        if (inspected is null) return ProtocolResults.Json(json => json.WriteBoolean(Claims.Active, false));
        return ProtocolResults.Json(json =>
        {
            json.WriteBoolean(Claims.Active, true);
            json.WriteString(Claims.Scope, inspected.Scope);
            json.WriteString(Claims.ClientId, inspected.ClientId);
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
            json.WriteString(Claims.TokenType, TokenTypes.Bearer);
        });
    }
}
