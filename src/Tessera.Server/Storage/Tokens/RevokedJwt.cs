namespace Tessera.Server.Storage.Tokens;

/// <summary>
/// The deny-list for revoked JWT access tokens (RFC 7009): JWTs get no row when issued, only when revoked,
/// and the row lives until the token would have expired anyway.
/// </summary>
public sealed class RevokedJwt
{
    public required string Jti { get; set; }
    public long ExpiresAt { get; set; }
}
