using Microsoft.Extensions.Options;
using Tessera.Server.Apis;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Telemetry;
using Tessera.Server.Tokens.Opaque;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.AccessTokens;

/// <summary>Issues an access token in the format its API chose: a signed JWT (no database write) or a stored opaque handle.</summary>
internal sealed class AccessTokenIssuer(
    JwtAccessTokenWriter jwtWriter,
    OpaqueTokenStore store,
    SnapshotCache snapshots,
    IOptions<TesseraOptions> options,
    TimeProvider clock)
{
    public ValueTask<IssuedAccessToken> IssueAsync(string subject, string clientId, TokenTarget target, CancellationToken cancellationToken) =>
        IssueAsync(NewClaims(subject, clientId, target), cancellationToken);

    /// <summary>The claims of a new token issued now, for a grant that adjusts them before <see cref="IssueAsync(AccessTokenClaims, CancellationToken)"/>.</summary>
    public AccessTokenClaims NewClaims(string subject, string clientId, TokenTarget target) =>
        new(subject, clientId, target, clock.GetUtcNow().ToUnixTimeSeconds(), SecretGenerator.NewSecret(16));

    public async ValueTask<IssuedAccessToken> IssueAsync(AccessTokenClaims claims, CancellationToken cancellationToken)
    {
        var opaque = claims.Target.Format == AccessTokenFormats.Opaque;
        var algorithm = opaque ? null : claims.Target.Primary.SigningAlgorithm;
        string value;
        using (var activity = TesseraTracing.Source.StartActivity(opaque ? "store opaque token" : "sign access token"))
        {
            activity?.SetTag("tessera.token_format", claims.Target.Format);
            if (algorithm is not null) activity?.SetTag("tessera.signing_alg", algorithm);
            value = opaque ? await StoreOpaqueAsync(claims, cancellationToken) : WriteJwt(claims, claims.IssuedAt);
        }
        return new IssuedAccessToken(value, claims.ExpiresAt - claims.IssuedAt, claims.Scope)
        {
            Jti = claims.Jti,
            OpaqueHash = opaque ? OpaqueHandles.Hash(value) : null,
            Format = claims.Target.Format,
            SigningAlgorithm = algorithm,
            TokenType = claims.Jkt is null ? TokenTypes.Bearer : TokenTypes.DPoP,
        };
    }

    private string WriteJwt(AccessTokenClaims claims, long now)
    {
        var api = claims.Target.Primary;
        var credentials = api.SharedKey is { } shared
            ? new Microsoft.IdentityModel.Tokens.SigningCredentials(shared, api.SigningAlgorithm)
            : snapshots.Current.Keys.SigningKey(api.SigningAlgorithm, now)?.Credentials
              ?? throw new InvalidOperationException($"No active {api.SigningAlgorithm} signing key.");
        return jwtWriter.Write(claims, options.Value.Issuer, credentials);
    }

    private async Task<string> StoreOpaqueAsync(AccessTokenClaims claims, CancellationToken cancellationToken)
    {
        var handle = OpaqueHandles.NewAccessToken();
        // The response is sent only after the row is committed: a handle the client holds always exists.
        await store.AddAsync(new OpaqueToken
        {
            Hash = OpaqueHandles.Hash(handle),
            Jti = claims.Jti,
            ClientId = claims.ClientId,
            Subject = claims.Subject,
            Audiences = SpaceDelimited.Join(claims.Target.Apis.Select(a => a.Audience)),
            Scope = claims.Scope,
            IssuedAt = claims.IssuedAt,
            ExpiresAt = claims.ExpiresAt,
            AuthTime = claims.AuthTime,
            UserClaims = claims.UserClaimsJson,
            Amr = claims.Amr,
            Jkt = claims.Jkt,
        }, cancellationToken);
        return handle;
    }
}
