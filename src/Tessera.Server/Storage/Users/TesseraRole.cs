using Microsoft.AspNetCore.Identity;

namespace Tessera.Server.Storage.Users;

/// <summary>
/// A role, stored through ASP.NET Core Identity: its name, a description, and its permissions as role claims of type
/// <see cref="PermissionClaimType"/> whose values are scope names (a scope belongs to exactly one API, so the name says
/// which). Users hold roles; a user-facing grant for an API with <c>userAccess: rbac</c> gets only the scopes held so.
/// </summary>
public sealed class TesseraRole : IdentityRole
{
    /// <summary>The role claim type that carries one permission (a scope name) of a role.</summary>
    public const string PermissionClaimType = "permission";

    public const int MaxDescriptionLength = 500;

    public string? Description { get; set; }
}
