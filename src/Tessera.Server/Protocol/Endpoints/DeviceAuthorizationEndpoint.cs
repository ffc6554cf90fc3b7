using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Tokens.DeviceAuthorizations;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>
/// RFC 8628 §3.1–§3.2: the device authorization endpoint. Parse → authenticate the client → check grant and scopes →
/// store a pending request → answer with the device code, the user code and where to enter it.
/// </summary>
internal static class DeviceAuthorizationEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, ClientAuthentication clientAuthentication, DeviceAuthorizationStore devices,
        SnapshotCache snapshots, IssuerUrls urls, IOptions<TesseraOptions> options)
    {
        var form = await ProtocolForm.ReadAsync(context.Request, options.Value.Limits.MaxFormBytes);
        if (form.Failed) return ProtocolResults.Error(form.Error);

        // RFC 8628 §3.1: the client authenticates as at the token endpoint; a public client sends its client_id.
        var client = await clientAuthentication.AuthenticateAsync(context.Request, form.Value, snapshots.Current.Catalog, urls.DeviceAuthorization, allowPublicClients: true);
        if (client.Failed) return ProtocolResults.Error(client.Error);
        if (!client.Value.GrantTypes.Contains(GrantTypes.DeviceCode))
            return ProtocolResults.Error(OAuthError.UnauthorizedClient("the client may not use the device authorization grant"));

        var scopes = ScopePolicy.RequestedByClient(form.Value[Parameters.Scope], client.Value);
        if (scopes.Failed) return ProtocolResults.Error(scopes.Error);

        var flow = options.Value.DeviceFlow;
        var interval = (int)flow.Interval.TotalSeconds;
        var (deviceCode, userCode) = await devices.CreateAsync(client.Value.ClientId, SpaceDelimited.Join(scopes.Value), flow.CodeLifetime, interval, context.RequestAborted);
        var shown = UserCodes.Format(userCode);
        // RFC 8628 §3.2: the response, never cached.
        return ProtocolResults.Json(json =>
        {
            json.WriteString(Parameters.DeviceCode, deviceCode);
            json.WriteString(Parameters.UserCode, shown);
            json.WriteString("verification_uri", urls.Device);
            json.WriteString("verification_uri_complete", QueryHelpers.AddQueryString(urls.Device, Parameters.UserCode, shown));
            json.WriteNumber("expires_in", (long)flow.CodeLifetime.TotalSeconds);
            json.WriteNumber("interval", interval);
        });
    }
}
