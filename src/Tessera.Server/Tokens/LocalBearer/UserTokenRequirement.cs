using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// The PAT API manages a user's own tokens: the caller's token must stand for a user who exists. A client's own token
/// (client credentials) has no user behind it, even with the scope.
/// </summary>
internal sealed class UserTokenRequirement : RefusingRequirement
{
    public override OAuthError Refusal => OAuthError.InvalidToken("the access token does not belong to a user");
}

internal sealed class UserTokenRequirementHandler(ITesseraDbContextFactory databases) : AuthorizationHandler<UserTokenRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, UserTokenRequirement requirement)
    {
        if (context.User.FindFirstValue(Claims.Subject) is not { } subject) return;
        var cancellationToken = (context.Resource as HttpContext)?.RequestAborted ?? CancellationToken.None;
        await using var db = databases.Create();
        if (await db.Users.AnyAsync(u => u.Id == subject, cancellationToken)) context.Succeed(requirement);
    }
}
