using Microsoft.AspNetCore.Authorization;
using Tessera.Server.Sessions;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// A person administers Tessera only after a sign-in with a second factor: a user's token opens the admin API when the
/// sign-in behind it says <c>mfa</c> (RFC 8176, carried in the token as RFC 9068 §2.2.1 allows). A stolen password
/// alone, even of a superadmin, opens nothing. A client's own token has no sign-in and is judged by its credential.
/// </summary>
internal sealed class AdministratorSecondFactorRequirement : RefusingRequirement
{
    // RFC 9470 §3: a 401 naming the acr that would do, so the admin console can send the user to sign in again with it.
    public override OAuthError Refusal => OAuthError.InsufficientUserAuthentication(
        "administering Tessera as a person needs a sign-in with a second factor", AuthenticationContextClasses.MultiFactor);
}

internal sealed class AdministratorSecondFactorRequirementHandler : AuthorizationHandler<AdministratorSecondFactorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdministratorSecondFactorRequirement requirement)
    {
        // The token's amr claims, as CallerClaims writes them, read like a session's.
        if (context.User.IsClientsOwnToken() || SessionClaims.GaveSecondFactor(context.User))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
