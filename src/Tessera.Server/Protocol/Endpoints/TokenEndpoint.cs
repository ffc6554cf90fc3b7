using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Grants;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>RFC 6749 §3.2: the token endpoint. Parse → authenticate the client → dispatch on grant_type → respond.</summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, ClientAuthentication clientAuthentication, GrantTable grants,
        SnapshotCache snapshots, IssuerUrls urls, IOptions<TesseraOptions> options)
    {
        var form = await ProtocolForm.ReadAsync(context.Request, options.Value.Limits.MaxFormBytes);
        if (form.Failed) return ProtocolResults.Error(form.Error);

        var catalog = snapshots.Current.Catalog;
        var grantType = form.Value[Parameters.GrantType];
        var grant = grantType is null ? null : grants.Find(grantType);
        var client = await clientAuthentication.AuthenticateAsync(context.Request, form.Value, catalog, urls.Token, grant?.AllowsPublicClients == true);
        if (client.Failed) return ProtocolResults.Error(client.Error);

        if (grantType is null) return ProtocolResults.Error(OAuthError.InvalidRequest("grant_type is required"));
        if (grant is null) return ProtocolResults.Error(OAuthError.UnsupportedGrantType($"grant_type '{grantType}' is not supported"));

        // RFC 6749 §5.2: the client must be registered for the grant type it uses.
        if (!client.Value.GrantTypes.Contains(grantType))
            return ProtocolResults.Error(OAuthError.UnauthorizedClient($"the client is not allowed to use grant_type '{grantType}'"));

        var response = await grant.HandleAsync(new TokenRequest(form.Value, client.Value, catalog, context.RequestAborted));
        return response.Failed ? ProtocolResults.Error(response.Error) : ProtocolResults.Token(response.Value);
    }
}
