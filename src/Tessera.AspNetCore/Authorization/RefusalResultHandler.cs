using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Authorization;

/// <summary>
/// Turns a refusal of an authenticated caller into the Bearer answer that says what is missing. A scope requirement:
/// forbid with the needed scopes, so the Tessera handler answers RFC 6750 §3.1 <c>insufficient_scope</c> with
/// <c>scope="…"</c>. Otherwise an acr requirement: challenge with the needed classes, so the handler answers RFC 9470 §3
/// <c>insufficient_user_authentication</c> with <c>acr_values="…"</c> (a 401: the user, not the client, must do more).
/// Everything else is the default.
/// </summary>
internal sealed class RefusalResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var failed = authorizeResult.Forbidden ? authorizeResult.AuthorizationFailure?.FailedRequirements.ToList() : null;
        var missingScopes = failed?.OfType<ScopeRequirement>().SelectMany(r => r.Scopes).Distinct().ToList();
        var missingAcr = failed?.OfType<AcrRequirement>().SelectMany(r => r.Values).Distinct().ToList();
        var properties = new AuthenticationProperties();
        if (missingScopes is { Count: > 0 })
        {
            properties.Items[TesseraHandler.RequiredScopeItem] = string.Join(' ', missingScopes);
            await ForEachSchemeAsync(policy, scheme => context.ForbidAsync(scheme, properties));
        }
        else if (missingAcr is { Count: > 0 })
        {
            properties.Items[TesseraHandler.RequiredAcrItem] = string.Join(' ', missingAcr);
            await ForEachSchemeAsync(policy, scheme => context.ChallengeAsync(scheme, properties));
        }
        else
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }

    /// <summary>The policy's schemes, or the default scheme (null) when it names none.</summary>
    private static async Task ForEachSchemeAsync(AuthorizationPolicy policy, Func<string?, Task> act)
    {
        if (policy.AuthenticationSchemes.Count == 0)
        {
            await act(null);
            return;
        }
        foreach (var scheme in policy.AuthenticationSchemes) await act(scheme);
    }
}
