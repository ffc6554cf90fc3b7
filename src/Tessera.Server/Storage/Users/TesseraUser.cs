using Microsoft.AspNetCore.Identity;

namespace Tessera.Server.Storage.Users;

/// <summary>A person, stored through ASP.NET Core Identity (password hashing, lockout, security stamp).</summary>
public sealed class TesseraUser : IdentityUser
{
    /// <summary>Full name, the OIDC <c>name</c> claim.</summary>
    public string? Name { get; set; }

    /// <summary>When an administrator disabled the user (seconds since the epoch); null while the user may sign in.</summary>
    public long? DisabledAt { get; set; }

    /// <summary>
    /// Custom attributes as one JSON object (import, admin API), e.g. <c>{"department": "sales"}</c>; an API that names one
    /// in its <c>claims</c> receives it in its tokens. Null when the user has none.
    /// </summary>
    public string? Attributes { get; set; }

    /// <summary>
    /// The RFC 6238 time step of the last authenticator code accepted: a code of that step or an earlier one is refused,
    /// so a code seen over a shoulder or in a proxy log cannot be replayed within its window (RFC 6238 §5.2).
    /// </summary>
    public long? LastAuthenticatorStep { get; set; }

    /// <summary>This user signs in with a second factor whatever Tessera:Mfa:Required says (set by an administrator or the import).</summary>
    public bool RequireMfa { get; set; }

    /// <summary>The attributes' JSON is at most 4 KiB: they travel in tokens, which travel in every request.</summary>
    public const int MaxAttributesLength = 4096;
}
