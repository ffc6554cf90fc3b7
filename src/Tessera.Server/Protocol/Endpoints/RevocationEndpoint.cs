using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Telemetry;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.RefreshTokens;
using Tessera.Server.Tokens.Revocation;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Endpoints;

/// <summary>RFC 7009: token revocation.</summary>
internal static class RevocationEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, ClientAuthentication clientAuthentication, AccessTokenInspector inspector, TokenRevoker revoker,
        RefreshTokenStore refreshTokens, SnapshotCache snapshots, IssuerUrls urls, IOptions<TesseraOptions> options,
        TesseraMetrics metrics)
    {
        // RFC 7009 §2.1: a public client (a native app signing out) identifies itself with client_id; it still revokes
        // only tokens issued to it, checked below.
        var request = await TokenParameterRequest.ReadAsync(context, clientAuthentication, snapshots.Current.Catalog, urls.Revocation,
            options.Value.Limits.MaxFormBytes, allowPublicClients: true);
        if (request.Failed) return ProtocolResults.Error(request.Error);

        // RFC 7009 §2.1: revoking a refresh token revokes its grant: the family and the access tokens issued from it.
        if (await refreshTokens.FindAsync(request.Value.Token, context.RequestAborted) is { } refresh)
        {
            if (refresh.ClientId != request.Value.Client.ClientId)
                return ProtocolResults.Error(OAuthError.UnauthorizedClient("the token was not issued to this client"));
            await revoker.RevokeRefreshFamilyAsync(refresh.FamilyId, context.RequestAborted);
            metrics.Revoked(TokenTypes.RefreshToken);
            return Results.Ok();
        }

        // RFC 7009 §2.2: an invalid, expired or already revoked token is answered with 200 all the same.
        var inspected = await inspector.InspectAsync(request.Value.Token, context.RequestAborted);
        if (inspected is null) return Results.Ok();

        // RFC 7009 §2.1: a client may revoke only tokens issued to it.
        if (inspected.ClientId != request.Value.Client.ClientId)
            return ProtocolResults.Error(OAuthError.UnauthorizedClient("the token was not issued to this client"));

        await revoker.RevokeAsync(inspected, context.RequestAborted);
        metrics.Revoked(TokenTypes.AccessToken);
        return Results.Ok();
    }
}
