using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Keys;
using Tessera.Server.Storage.Users;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.IdTokens;

/// <summary>What an ID token says about one sign-in (OIDC Core §2).</summary>
public sealed record IdTokenContent(
    TesseraUser User, string ClientId, IReadOnlyList<string> Scopes, long AuthTime, string? Nonce, string? SessionId, string AccessToken)
{
    /// <summary>The user claims the client asked for (<c>idTokenClaims</c>: roles, attributes), a JSON object; null for none.</summary>
    public string? UserClaimsJson { get; init; }

    /// <summary>RFC 8176 amr values of the sign-in, space-delimited; "" when unknown.</summary>
    public string Amr { get; init; } = "";
}

/// <summary>Writes OIDC ID tokens: RS256 through <see cref="JsonWebTokenHandler"/>, typ JWT.</summary>
internal sealed class IdTokenWriter(JsonWebTokenHandler handler, SnapshotCache snapshots, IssuerUrls urls, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private static readonly Dictionary<string, object> Header = new() { [JwtHeaderParameterNames.Typ] = "JWT" };

    public string Write(IdTokenContent content)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        // OIDC Core §15.1: RS256 is the algorithm every relying party supports.
        var key = snapshots.Current.Keys.SigningKey(SigningAlgorithms.RS256, now) ?? throw new InvalidOperationException("No active RS256 signing key.");
        var claims = new Dictionary<string, object>
        {
            [Claims.Issuer] = urls.Issuer,
            [Claims.Subject] = content.User.Id,
            [Claims.Audience] = content.ClientId,
            [Claims.ExpiresAt] = now + (long)Lifetime.TotalSeconds,
            [Claims.IssuedAt] = now,
            ["auth_time"] = content.AuthTime,
            // OIDC Core §2: azp is the party the token was issued to.
            ["azp"] = content.ClientId,
            ["at_hash"] = AccessTokenHash(content.AccessToken),
        };
        // OIDC Core §3.1.3.6: the nonce of the authentication request, unchanged.
        if (content.Nonce is not null) claims["nonce"] = content.Nonce;
        if (content.SessionId is not null) claims["sid"] = content.SessionId;
        // OIDC Core §2: how the user signed in (RFC 8176 amr) and the class of that sign-in (acr).
        if (content.Amr.Length > 0)
        {
            claims[Claims.Amr] = SpaceDelimited.Split(content.Amr);
            claims[Claims.Acr] = AuthenticationContextClasses.Of(content.Amr);
        }
        // OIDC Core §5.4: profile and email claims by scope.
        foreach (var (name, value) in UserClaims.For(content.User, content.Scopes)) claims[name] = value;
        // The client's idTokenClaims (roles, attributes); they never shadow the claims above.
        if (content.UserClaimsJson is not null)
        {
            foreach (var claim in System.Text.Json.JsonElement.Parse(content.UserClaimsJson).EnumerateObject())
                claims.TryAdd(claim.Name, claim.Value);
        }

        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = key.Credentials,
            AdditionalHeaderClaims = Header,
        });
    }

    /// <summary>OIDC Core §3.1.3.6: base64url of the left half of the SHA-256 of the access token's ASCII octets.</summary>
    private static string AccessTokenHash(string accessToken)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(accessToken));
        return Base64UrlEncoder.Encode(hash.AsSpan(0, hash.Length / 2).ToArray());
    }
}
