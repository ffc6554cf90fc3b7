using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// The admin API takes an administrative client's own token (client credentials: RFC 9068 §2.2 sub = client_id), never
/// one issued for a user. The import refuses tessera:admin on clients that act for users; this holds even for a database
/// edited by hand.
/// </summary>
internal sealed class ClientOwnTokenRequirement : RefusingRequirement
{
    public override OAuthError Refusal =>
        OAuthError.InvalidToken("the admin API takes an administrative client's own token, not one issued for a user");
}

internal sealed class ClientOwnTokenRequirementHandler : AuthorizationHandler<ClientOwnTokenRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ClientOwnTokenRequirement requirement)
    {
        if (context.User.FindFirstValue(Claims.Subject) is { } subject && subject == context.User.FindFirstValue(Claims.ClientId))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
