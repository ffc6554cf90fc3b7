using Tessera.Server.Catalog;
using Tessera.Server.Tokens.AccessTokens;

namespace Tessera.Testing;

/// <summary>
/// Setup for resource-server tests: a user's access token issued by the server's own issuer (JWT signed with its key, or
/// an opaque row it answers for), carrying user claims as a grant whose API asked for them would. What is tested is what
/// the API makes of it, not how a grant chose the claims (the server's suites test that).
/// </summary>
public static class UserAccessTokens
{
    public static async Task<string> IssueAsync(TesseraServer server, string subject, string clientId, string audience, string scope, string userClaimsJson, string amr = "")
    {
        var catalog = server.GetService<SnapshotCache>().Current.Catalog;
        var api = catalog.ApisByAudience[audience];
        var issuer = server.GetService<AccessTokenIssuer>();
        var claims = issuer.NewClaims(subject, clientId, new TokenTarget([api], scope.Split(' '))) with { UserClaimsJson = userClaimsJson, Amr = amr };
        return (await issuer.IssueAsync(claims, CancellationToken.None)).Value;
    }
}
