using System.Security.Claims;

namespace Tessera.Server.ExternalIdentities;

/// <summary>Claim types of the external principal (JWT names: the OIDC handler keeps them as they come).</summary>
internal static class ExternalClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string PreferredUsername = "preferred_username";
    public const string Email = "email";
    public const string EmailVerified = "email_verified";

    /// <summary>The provider's stable identifier for the user.</summary>
    public static string? SubjectOf(ClaimsPrincipal principal) =>
        principal.FindFirstValue(Subject) ?? principal.FindFirstValue(ClaimTypes.NameIdentifier);
}
