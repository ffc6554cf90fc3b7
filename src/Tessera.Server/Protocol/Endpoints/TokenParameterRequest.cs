using Tessera.Server.Catalog;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>The request shape shared by introspection (RFC 7662 §2.1) and revocation (RFC 7009 §2.1).</summary>
internal sealed record TokenParameterRequest(RegisteredClient Client, string Token)
{
    /// <summary>Reads the form, authenticates the client, and requires the <c>token</c> parameter.</summary>
    /// <param name="allowPublicClients">Revocation only: a public client identified by client_id may revoke its own tokens.</param>
    public static async Task<Outcome<TokenParameterRequest>> ReadAsync(
        HttpContext context, ClientAuthentication clientAuthentication, ClientCatalog catalog, string endpointUrl, int maxFormBytes,
        bool allowPublicClients = false)
    {
        var form = await ProtocolForm.ReadAsync(context.Request, maxFormBytes);
        if (form.Failed) return form.Error;

        // Both RFCs: the caller authenticates as at the token endpoint, so neither endpoint can be used to scan for tokens.
        var client = await clientAuthentication.AuthenticateAsync(context.Request, form.Value, catalog, endpointUrl, allowPublicClients);
        if (client.Failed) return client.Error;

        // token_type_hint is only a hint (RFC 7662 §2.1, RFC 7009 §2.1): every kind of token is searched regardless.
        var token = form.Value[Parameters.Token];
        if (token is null) return OAuthError.InvalidRequest("token is required");
        return new TokenParameterRequest(client.Value, token);
    }
}
