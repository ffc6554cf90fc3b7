using Tessera.Server.Catalog;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Grants;

/// <summary>A request at the token endpoint after the client has been authenticated.</summary>
public sealed record TokenRequest(ProtocolForm Form, RegisteredClient Client, ClientCatalog Catalog, HttpContext HttpContext);

/// <summary>The successful token response (RFC 6749 §5.1).</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, long ExpiresIn, string Scope)
{
    /// <summary>OIDC Core §3.1.3.3: present when the openid scope was granted.</summary>
    public string? IdToken { get; init; }

    /// <summary>RFC 6749 §5.1: present when the grant allows refreshing (offline_access and the refresh_token grant).</summary>
    public string? RefreshToken { get; init; }

    /// <summary>RFC 8693 §2.2.1: the type of the token a token exchange issued.</summary>
    public string? IssuedTokenType { get; init; }
}

/// <summary>One grant type: the token endpoint dispatches to it through the grant table.</summary>
public interface IGrantHandler
{
    string GrantType { get; }

    /// <summary>Whether a public client (RFC 6749 §2.1) may use this grant with only its client_id.</summary>
    bool AllowsPublicClients => false;

    ValueTask<Outcome<TokenResponse>> HandleAsync(TokenRequest request);
}
