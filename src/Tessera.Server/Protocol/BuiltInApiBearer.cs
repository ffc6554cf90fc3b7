using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Tokens;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol;

/// <summary>
/// The bearer check shared by Tessera's own HTTP APIs (admin, PATs, provider tokens): an access token (RFC 6750 §2.1)
/// issued by this server for itself (aud = issuer) carrying the API's scope.
/// </summary>
internal sealed class BuiltInApiBearer(AccessTokenInspector inspector, IssuerUrls urls)
{
    /// <summary>The caller's token, or the RFC 6750 §3.1 refusal to send instead.</summary>
    public async ValueTask<(InspectedToken? Caller, IResult? Refusal)> AuthenticateAsync(HttpContext http, string scope)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 6750 §3.1: a request without credentials gets a bare challenge, no error code.
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"tessera\"";
            return (null, Results.Unauthorized());
        }

        var token = await inspector.InspectAsync(header["Bearer ".Length..].Trim(), http.RequestAborted);
        // RFC 6750 §3.1: invalid_token for an expired, revoked or foreign token (an API's shared secret vouches for that API only).
        if (token is null || token.SignedWithSharedSecret || !token.Audiences.Contains(urls.Issuer))
            return (null, ProtocolResults.Error(OAuthError.InvalidToken("the access token is not valid for this server")));
        if (!SpaceDelimited.Split(token.Scope).Contains(scope))
            return (null, ProtocolResults.Error(OAuthError.InsufficientScope($"this API needs the {scope} scope", scope)));
        return (token, null);
    }
}
