namespace Tessera.Server.Tokens.AccessTokens;

/// <summary>What revoking an access token needs of it: a JWT is refused by its jti, an opaque token by its row's hash.</summary>
internal sealed record RevocableAccessToken(string Jti, byte[]? OpaqueHash, long ExpiresAt);
