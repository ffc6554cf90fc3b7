using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Tokens;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>RFC 7009: token revocation.</summary>
internal static class RevocationEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, ClientAuthentication clientAuthentication, AccessTokenInspector inspector, TokenRevoker revoker,
        SnapshotCache snapshots, IssuerUrls urls, IOptions<TesseraOptions> options)
    {
        var form = await ProtocolForm.ReadAsync(context.Request, options.Value.Limits.MaxFormBytes);
        if (form.Failed) return ProtocolResults.Error(form.Error);

        // RFC 7009 §2.1: the client authenticates as at the token endpoint.
        var client = await clientAuthentication.AuthenticateAsync(context.Request, form.Value, snapshots.Current.Catalog, urls.Revocation);
        if (client.Failed) return ProtocolResults.Error(client.Error);

        var token = form.Value[Parameters.Token];
        if (token is null) return ProtocolResults.Error(OAuthError.InvalidRequest("token is required"));

        // RFC 7009 §2.2: an invalid, expired or already revoked token is answered with 200 all the same.
        var inspected = await inspector.InspectAsync(token, context.RequestAborted);
        if (inspected is null) return Results.Ok();

        // RFC 7009 §2.1: a client may revoke only tokens issued to it.
        if (inspected.ClientId != client.Value.ClientId)
            return ProtocolResults.Error(OAuthError.UnauthorizedClient("the token was not issued to this client"));

        await revoker.RevokeAsync(inspected, context.RequestAborted);
        return Results.Ok();
    }
}
