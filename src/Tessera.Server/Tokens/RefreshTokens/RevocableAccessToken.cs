namespace Tessera.Server.Tokens.RefreshTokens;

/// <summary>
/// What revoking an access token needs of it: a JWT is refused by its jti, an opaque token by its row's hash. It lives
/// here, below AccessTokens, because a refresh-token row records the access token issued with it.
/// </summary>
internal sealed record RevocableAccessToken(string Jti, byte[]? OpaqueHash, long ExpiresAt);
