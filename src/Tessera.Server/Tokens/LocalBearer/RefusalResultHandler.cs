using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// Answers a refused built-in-API policy with the refusal of its first failed requirement, in the policy's order (so
/// the scope is judged before the user and the user before the sign-in's age, as the APIs always did): a 401 refusal
/// through the local scheme's challenge, a 403 through its forbid. An unauthenticated caller, and every other policy,
/// get ASP.NET Core's default (the scheme's challenge: invalid_token or a bare one).
/// </summary>
internal sealed class RefusalResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var failed = authorizeResult.Forbidden ? authorizeResult.AuthorizationFailure?.FailedRequirements.ToHashSet() : null;
        var first = failed is null ? null : policy.Requirements.OfType<RefusingRequirement>().FirstOrDefault(failed.Contains);
        if (first is null)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var properties = BearerRefusal.Carrying(first.Refusal);
        if (first.Refusal.StatusCode == StatusCodes.Status401Unauthorized)
            await context.ChallengeAsync(LocalBearerScheme.Name, properties);
        else
            await context.ForbidAsync(LocalBearerScheme.Name, properties);
    }
}
