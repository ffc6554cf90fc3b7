using Microsoft.AspNetCore.Authorization;

namespace Tessera.AspNetCore.Authorization;

/// <summary>Reads the space-separated <c>scope</c> claim (RFC 9068 §2.2.3); every required scope must be in it.</summary>
public sealed class ScopeAuthorizationHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var claims = context.User.FindAll(TesseraDefaults.ScopeClaim).Select(claim => claim.Value).ToArray();
        if (requirement.Scopes.All(scope => claims.Any(value => Contains(value, scope)))) context.Succeed(requirement);
        return Task.CompletedTask;
    }

    /// <summary>Whether one space-separated scope value lists the scope (exact, case-sensitive: RFC 6749 §3.3).</summary>
    private static bool Contains(string value, string scope)
    {
        foreach (var range in value.AsSpan().Split(' '))
            if (value.AsSpan(range).SequenceEqual(scope)) return true;
        return false;
    }
}
