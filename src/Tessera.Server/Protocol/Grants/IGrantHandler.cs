using Tessera.Server.Catalog;
using Tessera.Server.Responses;
using Tessera.Server.Tokens.Dpop;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Grants;

/// <summary>A request at the token endpoint after the client has been authenticated.</summary>
public sealed record TokenRequest(ProtocolForm Form, RegisteredClient Client, ClientCatalog Catalog, CancellationToken CancellationToken)
{
    /// <summary>RFC 9449 §5: the key the request's DPoP proof is for; the access token is bound to it.</summary>
    public DpopBinding Dpop { get; init; } = DpopBinding.None;
}

/// <summary>One grant type: the token endpoint dispatches to it through the grant table.</summary>
public interface IGrantHandler
{
    string GrantType { get; }

    /// <summary>Whether a public client (RFC 6749 §2.1) may use this grant with only its client_id.</summary>
    bool AllowsPublicClients => false;

    ValueTask<Outcome<TokenResponse>> HandleAsync(TokenRequest request);
}
