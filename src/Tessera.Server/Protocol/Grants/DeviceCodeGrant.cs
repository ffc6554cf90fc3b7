using Tessera.Server.Protocol.Rules;
using Tessera.Server.Responses;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tokens.DeviceAuthorizations;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Grants;

/// <summary>
/// RFC 8628 §3.4–§3.5: the device polls with its device code until the user has decided; an approved code gives
/// tokens exactly once.
/// </summary>
internal sealed class DeviceCodeGrant(
    DeviceAuthorizationStore devices, UserTokens userTokens, HeldScopes heldScopes, ITesseraDbContextFactory databases, TimeProvider clock) : IGrantHandler
{
    public string GrantType => GrantTypes.DeviceCode;

    // RFC 8628 §3.4: command-line tools and TVs are usually public clients.
    public bool AllowsPublicClients => true;

    public async ValueTask<Outcome<TokenResponse>> HandleAsync(TokenRequest request)
    {
        var cancellationToken = request.CancellationToken;
        var value = request.Form[Parameters.DeviceCode];
        if (value is null) return OAuthError.InvalidRequest("device_code is required");

        var device = await devices.FindAsync(value, cancellationToken);
        // RFC 8628 §3.4: the device code must have been issued to this client.
        if (device is null || device.ClientId != request.Client.ClientId) return OAuthError.InvalidGrant("the device code is invalid");
        if (device.ExpiresAt <= clock.GetUtcNow().ToUnixTimeSeconds()) return OAuthError.ExpiredToken("the device code has expired");

        switch (device.Status)
        {
            case DeviceAuthorizationStatus.Redeemed:
                return OAuthError.InvalidGrant("the device code was already used");
            case DeviceAuthorizationStatus.Denied:
                return OAuthError.AccessDenied("the user denied the request");
            case DeviceAuthorizationStatus.Pending:
                // RFC 8628 §3.5: polling faster than the interval is answered with slow_down, and the interval grows by 5 s.
                if (!await devices.PollOnTimeAsync(device.DeviceCodeHash, cancellationToken))
                    return OAuthError.SlowDown($"polling too fast: wait {device.Interval + 5} seconds between requests");
                return OAuthError.AuthorizationPending("the user has not yet approved the request");
        }

        // Before the code is used up: a wrong resource must leave the client able to ask again.
        // Roles (issue 16): only the scopes the approving user holds now; none left is access_denied (RFC 8628 §3.5).
        var scopes = await heldScopes.OfAsync(device.Subject!, SpaceDelimited.Split(device.Scope), request.Catalog, cancellationToken);
        if (scopes.Count == 0) return OAuthError.AccessDenied("the user holds none of the requested scopes");
        var target = TokenTargets.ForUser(scopes, request.Form.All(Parameters.Resource), request.Client, request.Catalog);
        if (target.Failed) return target.Error;

        if (!await devices.RedeemAsync(device.DeviceCodeHash, cancellationToken)) return OAuthError.InvalidGrant("the device code was already used");

        var active = await ActiveUser.FindAsync(databases, device.Subject!, cancellationToken);   // approved: the user is set
        if (active.Failed) return active.Error;
        var user = active.Value;

        var issued = await userTokens.IssueAsync(
            new UserGrant(user, request.Client, scopes, scopes, target.Value, device.AuthTime, device.SessionId) { Amr = device.Amr, Dpop = request.Dpop }, cancellationToken);
        return issued.Response;
    }
}
