using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore.Authorization;

/// <summary>
/// When a scope requirement refused an authenticated caller, forbids with the needed scopes in the properties, so the
/// Tessera handler can answer RFC 6750 §3.1 <c>insufficient_scope</c> with <c>scope="…"</c>. Everything else is the default.
/// </summary>
internal sealed class ScopeForbiddenResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var missing = authorizeResult.Forbidden
            ? authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().ToList()
            : null;
        if (missing is not { Count: > 0 })
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var properties = new AuthenticationProperties();
        properties.Items[TesseraHandler.RequiredScopeItem] = string.Join(' ', missing.SelectMany(r => r.Scopes).Distinct());
        if (policy.AuthenticationSchemes.Count == 0)
        {
            await context.ForbidAsync(properties);
            return;
        }
        foreach (var scheme in policy.AuthenticationSchemes) await context.ForbidAsync(scheme, properties);
    }
}
