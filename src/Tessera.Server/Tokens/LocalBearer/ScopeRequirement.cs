using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>The caller's token carries the API's scope (exact and case-sensitive, RFC 6749 §3.3).</summary>
internal sealed class ScopeRequirement(string scope) : RefusingRequirement
{
    public string Scope { get; } = scope;

    // RFC 6750 §3.1: insufficient_scope, 403, naming the scope the request needed.
    public override OAuthError Refusal => OAuthError.InsufficientScope($"this API needs the {Scope} scope", Scope);
}

internal sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (SpaceDelimited.Split(context.User.FindFirstValue(Claims.Scope)).Contains(requirement.Scope)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
