using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace Tessera.AspNetCore.Authorization;

public static class AcrPolicyExtensions
{
    /// <summary>In a policy: an authenticated caller whose sign-in is of one of <paramref name="acrValues"/>.</summary>
    public static AuthorizationPolicyBuilder RequireAcr(this AuthorizationPolicyBuilder builder, params string[] acrValues) =>
        builder.RequireAuthenticatedUser().AddRequirements(new AcrRequirement(acrValues));

    /// <summary>
    /// On a minimal API endpoint or group: <c>app.MapPost(...).RequireAcr("urn:tessera:acr:mfa")</c> — the user signed in
    /// with a second factor. Otherwise 401 with <c>error="insufficient_user_authentication"</c> and <c>acr_values</c> (RFC 9470 §3).
    /// </summary>
    public static TBuilder RequireAcr<TBuilder>(this TBuilder builder, params string[] acrValues) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireAcr(acrValues));
}
