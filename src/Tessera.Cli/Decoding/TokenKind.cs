using Tessera.Protocol;

namespace Tessera.Cli.Decoding;

/// <summary>What a token looks like from its text alone.</summary>
public enum TokenKind { Jwt, PersonalAccessToken, OpaqueAccessToken, RefreshToken, Unknown }

public static class TokenKinds
{
    public static TokenKind Of(string token) =>
        PersonalAccessTokenFormat.HasPrefix(token) ? TokenKind.PersonalAccessToken
        : token.StartsWith(OpaqueTokenFormat.AccessTokenPrefix, StringComparison.Ordinal) ? TokenKind.OpaqueAccessToken
        : token.StartsWith(OpaqueTokenFormat.RefreshTokenPrefix, StringComparison.Ordinal) ? TokenKind.RefreshToken
        : token.Count(c => c == '.') == 2 ? TokenKind.Jwt
        : TokenKind.Unknown;

    public static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.Jwt => "JWT",
        TokenKind.PersonalAccessToken => "Tessera personal access token",
        TokenKind.OpaqueAccessToken => "Tessera opaque access token",
        TokenKind.RefreshToken => "Tessera refresh token",
        _ => "not a token Tessera issues",
    };
}
