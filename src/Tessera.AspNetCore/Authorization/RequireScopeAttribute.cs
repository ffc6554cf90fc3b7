using Microsoft.AspNetCore.Authorization;

namespace Tessera.AspNetCore.Authorization;

/// <summary>On a controller or action: <c>[RequireScope("message")]</c>, the same requirement as the policy extension.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequireScopeAttribute(params string[] scopes) : AuthorizeAttribute, IAuthorizationRequirementData
{
    public IReadOnlyList<string> Scopes { get; } = scopes;

    public IEnumerable<IAuthorizationRequirement> GetRequirements() => [new ScopeRequirement(Scopes)];
}
