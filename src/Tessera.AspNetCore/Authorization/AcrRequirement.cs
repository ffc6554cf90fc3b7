using Microsoft.AspNetCore.Authorization;

namespace Tessera.AspNetCore.Authorization;

/// <summary>
/// The sign-in behind the caller's token must be of one of these authentication context classes (its <c>acr</c> claim,
/// RFC 9068 §2.2.1), e.g. Tessera's <c>urn:tessera:acr:mfa</c> for a second factor. Refused, the caller gets RFC 9470's
/// <c>insufficient_user_authentication</c> challenge naming them, so the client can send the user to step up.
/// </summary>
public sealed class AcrRequirement(IReadOnlyList<string> values) : IAuthorizationRequirement
{
    public IReadOnlyList<string> Values { get; } = values.Count > 0 ? values : throw new ArgumentException("name at least one acr value", nameof(values));

    public override string ToString() => $"Authentication context required: {string.Join(' ', Values)}";
}

/// <summary>Reads the token's <c>acr</c> claim (JWT and introspection alike); a token without one (a client's own) never passes.</summary>
public sealed class AcrAuthorizationHandler : AuthorizationHandler<AcrRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AcrRequirement requirement)
    {
        if (context.User.FindFirst(TesseraDefaults.AcrClaim)?.Value is { } acr && requirement.Values.Contains(acr, StringComparer.Ordinal))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
