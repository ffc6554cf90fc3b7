using Microsoft.AspNetCore.Authorization;
using Tessera.Server.Configuration;
using Tessera.Server.Sessions;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// Creating a personal access token through the API needs a token from a recent sign-in (auth_time within
/// Tessera:PersonalAccessTokens:MaxAuthAge): a token minted from an old sign-in (a refreshed session, a stolen token)
/// cannot mint long-lived credentials.
/// </summary>
internal sealed class RecentSignInRequirement(PersonalAccessTokenOptions settings) : RefusingRequirement
{
    /// <summary>Read at each request from the options object itself, as the endpoint read it before there were policies.</summary>
    public TimeSpan MaxAuthAge => settings.MaxAuthAge;

    // RFC 9470 §3: insufficient_user_authentication, 401, with the max_age the client should ask the user to sign in within.
    public override OAuthError Refusal => OAuthError.InsufficientUserAuthentication(
        "creating a personal access token needs a recent sign-in; sign in again", (long)MaxAuthAge.TotalSeconds);
}

internal sealed class RecentSignInRequirementHandler(TimeProvider clock) : AuthorizationHandler<RecentSignInRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RecentSignInRequirement requirement)
    {
        if (RecentSignIn.IsRecent(context.User.AuthTime(), requirement.MaxAuthAge, clock.GetUtcNow().ToUnixTimeSeconds()))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
