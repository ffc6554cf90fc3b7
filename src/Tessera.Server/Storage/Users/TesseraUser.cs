using Microsoft.AspNetCore.Identity;

namespace Tessera.Server.Storage.Users;

/// <summary>A person, stored through ASP.NET Core Identity (password hashing, lockout, security stamp).</summary>
public sealed class TesseraUser : IdentityUser
{
    /// <summary>Full name, the OIDC <c>name</c> claim.</summary>
    public string? Name { get; set; }

    /// <summary>When an administrator disabled the user (seconds since the epoch); null while the user may sign in.</summary>
    public long? DisabledAt { get; set; }
}
