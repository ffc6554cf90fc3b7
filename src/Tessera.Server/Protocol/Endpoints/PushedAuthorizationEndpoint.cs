using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Tokens.PushedAuthorizations;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>
/// RFC 9126 §2: the pushed authorization request endpoint. The client authenticates as at the token endpoint and sends
/// the authorization request's parameters in the body; they are checked by the authorization endpoint's own reader, and
/// stored behind a short-lived, single-use request_uri bound to the client.
/// </summary>
internal static class PushedAuthorizationEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, ClientAuthentication clientAuthentication, PushedAuthorizationStore pushed, SnapshotCache snapshots,
        IssuerUrls urls, IOptions<TesseraOptions> options, RequestObjects requestObjects)
    {
        var form = await ProtocolForm.ReadAsync(context.Request, options.Value.Limits.MaxFormBytes);
        if (form.Failed) return ProtocolResults.Error(form.Error);

        // §2: client authentication as at the token endpoint; a public client sends its client_id (PKCE protects it).
        var catalog = snapshots.Current.Catalog;
        var client = await clientAuthentication.AuthenticateAsync(context.Request, form.Value, catalog, urls.PushedAuthorization, allowPublicClients: true);
        if (client.Failed) return ProtocolResults.Error(client.Error);

        var parameters = form.Value.Sent
            .Where(p => !ClientAuthenticationParameters.Contains(p.Key))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        // §2.1: request_uri cannot itself be pushed.
        if (parameters.ContainsKey(Parameters.RequestUri)) return ProtocolResults.Error(OAuthError.InvalidRequest("request_uri is not allowed in a pushed authorization request"));
        // §3: a signed request object is verified here, and the request is what it says — nothing sent beside it counts
        // (RFC 9101 §6.3).
        if (parameters.TryGetValue(Parameters.Request, out var requestObject))
        {
            var signed = await requestObjects.ReadAsync(requestObject.ToString(), client.Value);
            if (signed.Failed) return ProtocolResults.Error(signed.Error);
            parameters = signed.Value;
        }
        // §2.1: the client_id of the request is the authenticated client.
        parameters[Parameters.ClientId] = client.Value.ClientId;

        // §2.1: the same checks as the authorization endpoint, answered here as JSON errors (§2.3), never by redirect.
        var read = AuthorizationRequestReader.Read(new QueryCollection(parameters), catalog);
        if (read.Failed) return ProtocolResults.Error(read.Error with { Redirect = null });

        var lifetime = options.Value.Par.Lifetime;
        var requestUri = await pushed.PushAsync(client.Value.ClientId, parameters, lifetime, context.RequestAborted);
        // §2.2: 201 with the request_uri and its lifetime.
        return ProtocolResults.Json(json =>
        {
            json.WriteString(Parameters.RequestUri, requestUri);
            json.WriteNumber("expires_in", (long)lifetime.TotalSeconds);
        }, StatusCodes.Status201Created);
    }

    /// <summary>Client authentication travels with the request but is not part of the authorization request (§2.1).</summary>
    private static readonly HashSet<string> ClientAuthenticationParameters = new(StringComparer.Ordinal)
    {
        Parameters.ClientSecret, Parameters.ClientAssertion, Parameters.ClientAssertionType,
    };
}
