using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Grants;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Telemetry;
using Tessera.Server.Tokens.Dpop;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>RFC 6749 §3.2: the token endpoint. Parse → authenticate the client → dispatch on grant_type → respond.</summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, ClientAuthentication clientAuthentication, GrantTable grants,
        SnapshotCache snapshots, IssuerUrls urls, IOptions<TesseraOptions> options, TesseraMetrics metrics, DpopProofs dpopProofs)
    {
        var form = await ProtocolForm.ReadAsync(context.Request, options.Value.Limits.MaxFormBytes);
        if (form.Failed) return Refuse(form.Error, null);

        var catalog = snapshots.Current.Catalog;
        var grantType = form.Value[Parameters.GrantType];
        var grant = grantType is null ? null : grants.Find(grantType);
        // Only a grant type this server knows becomes a metric tag: a caller's arbitrary value must not grow the series.
        var grantTag = grant is null ? null : grantType;
        Outcome<RegisteredClient> client;
        using (TesseraTracing.Source.StartActivity("client authentication"))
        {
            client = await clientAuthentication.AuthenticateAsync(context.Request, form.Value, catalog, urls.Token, grant?.AllowsPublicClients == true);
        }
        if (client.Failed) return Refuse(client.Error, grantTag);

        if (grantType is null) return Refuse(OAuthError.InvalidRequest("grant_type is required"), null);
        if (grant is null) return Refuse(OAuthError.UnsupportedGrantType($"grant_type '{grantType}' is not supported"), null);

        // RFC 6749 §5.2: the client must be registered for the grant type it uses.
        if (!client.Value.GrantTypes.Contains(grantType))
            return Refuse(OAuthError.UnauthorizedClient($"the client is not allowed to use grant_type '{grantType}'"), grantTag);

        // RFC 9449 §5: a DPoP proof binds the access token (and a public client's refresh token) to the client's key.
        var dpop = await dpopProofs.CheckAsync(context, urls.Token, accessToken: null);
        if (dpop.Failed) return Refuse(dpop.Error, grantTag);
        // RFC 9449 §5.2: a client registered with dpop_bound_access_tokens never receives a Bearer token.
        if (!dpop.Value.Bound && client.Value.RequireDpop)
            return Refuse(OAuthError.InvalidDpopProof("this client must send a DPoP proof with every token request"), grantTag);

        Outcome<TokenResponse> response;
        using (var activity = TesseraTracing.Source.StartActivity("grant"))
        {
            activity?.SetTag("oauth.grant_type", grantType);
            activity?.SetTag("oauth.client_id", client.Value.ClientId);
            response = await grant.HandleAsync(new TokenRequest(form.Value, client.Value, catalog, context.RequestAborted) { Dpop = dpop.Value });
        }
        if (response.Failed) return Refuse(response.Error, grantTag);
        metrics.TokenIssued(grantType, client.Value.ClientId, response.Value.AccessTokenFormat, response.Value.SigningAlgorithm);
        return ProtocolResults.Token(response.Value);

        IResult Refuse(OAuthError error, string? grantTypeTag)
        {
            metrics.TokenError(error.Error, grantTypeTag);
            return ProtocolResults.Error(error);
        }
    }
}
