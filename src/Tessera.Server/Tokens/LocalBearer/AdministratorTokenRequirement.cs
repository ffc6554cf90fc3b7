using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Tessera.Server.Catalog;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// The admin API takes two kinds of token: an administrative client's own (client credentials), and a user's token
/// issued to a client that is marked <c>"administration": true</c> now — a user's token from any other client opens
/// nothing, whatever scope it carries (the import refuses admin scopes on such clients; this holds even for a database
/// edited by hand, and for a client unmarked after the token was issued). What a user's token may do is then limited
/// to the admin permissions the user's roles still carry (<see cref="AdminCallerPermissions"/>), after a sign-in with a
/// second factor (<see cref="AdministratorSecondFactorRequirement"/>).
/// </summary>
internal sealed class AdministratorTokenRequirement : RefusingRequirement
{
    public override OAuthError Refusal => OAuthError.InvalidToken(
        "the admin API takes an administrative client's own token, or a user's token from a client marked \"administration\": true");
}

internal sealed class AdministratorTokenRequirementHandler(SnapshotCache snapshots, UserPermissions users) : AuthorizationHandler<AdministratorTokenRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AdministratorTokenRequirement requirement)
    {
        if (context.User.IsClientsOwnToken())
        {
            context.Succeed(requirement);
            return;
        }
        if (context.User.ClientId() is not { } clientId || snapshots.Current.Catalog.FindClient(clientId) is not { Administration: true }) return;
        var cancellationToken = (context.Resource as HttpContext)?.RequestAborted ?? CancellationToken.None;
        if (await users.IsUserAsync(context.User.FindFirstValue(Claims.Subject)!, cancellationToken)) context.Succeed(requirement);
    }
}
