using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Catalog;

namespace Tessera.Testing;

/// <summary>
/// Signs a JWT with the server's current RS256 key, for attacks that need a genuine signature on something the server
/// would never issue as an access token (another JWT of the same issuer: an ID token's typ, a logout token).
/// </summary>
public static class IssuerKeys
{
    public static string Sign(TesseraServer server, IDictionary<string, object> claims, string typ)
    {
        var key = server.Services.GetRequiredService<SnapshotCache>().Current.Keys.SigningKey("RS256", DateTimeOffset.UtcNow.ToUnixTimeSeconds())
            ?? throw new InvalidOperationException("the server has no RS256 signing key");
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = key.Credentials,
            TokenType = typ,
        });
    }
}
