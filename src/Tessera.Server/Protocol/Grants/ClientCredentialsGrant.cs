using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Grants;

/// <summary>RFC 6749 §4.4: a confidential client gets an access token for itself.</summary>
internal sealed class ClientCredentialsGrant(AccessTokenIssuer issuer) : IGrantHandler
{
    public string GrantType => GrantTypes.ClientCredentials;

    public async ValueTask<Outcome<TokenResponse>> HandleAsync(TokenRequest request)
    {
        // RFC 6749 §4.4.2: only confidential clients, which the endpoint has already authenticated.
        var target = TokenTargets.Select(request.Form[Parameters.Scope], request.Form.All(Parameters.Resource)!, request.Client, request.Catalog);
        if (target.Failed) return target.Error;

        // RFC 9068 §2.2: with no resource owner, sub is the client's own identifier.
        // RFC 9449 §5: with a DPoP proof the token is bound to the client's key.
        var claims = issuer.NewClaims(request.Client.ClientId, request.Client.ClientId, target.Value) with { Jkt = request.Dpop.KeyThumbprint };
        var token = await issuer.IssueAsync(claims, request.CancellationToken);
        // RFC 6749 §4.4.3: no refresh token for client credentials.
        return new TokenResponse(token.Value, token.TokenType, token.ExpiresIn, token.Scope) { AccessTokenFormat = token.Format, SigningAlgorithm = token.SigningAlgorithm };
    }
}
