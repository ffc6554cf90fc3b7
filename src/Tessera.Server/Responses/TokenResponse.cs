namespace Tessera.Server.Responses;

/// <summary>The successful token response (RFC 6749 §5.1).</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, long ExpiresIn, string Scope)
{
    /// <summary>OIDC Core §3.1.3.3: present when the openid scope was granted.</summary>
    public string? IdToken { get; init; }

    /// <summary>RFC 6749 §5.1: present when the grant allows refreshing (offline_access and the refresh_token grant).</summary>
    public string? RefreshToken { get; init; }

    /// <summary>RFC 8693 §2.2.1: the type of the token a token exchange issued.</summary>
    public string? IssuedTokenType { get; init; }

    /// <summary>What was issued, for metrics only (never written to the response): the access token's format and alg.</summary>
    public string AccessTokenFormat { get; init; } = "";
    public string? SigningAlgorithm { get; init; }
}
