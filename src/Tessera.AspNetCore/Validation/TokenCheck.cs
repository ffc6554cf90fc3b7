using System.Security.Claims;

namespace Tessera.AspNetCore.Validation;

/// <summary>The outcome of checking one token: the caller's identity, or why the token was refused.</summary>
internal sealed record TokenCheck(ClaimsIdentity? Identity, string? Failure)
{
    public static TokenCheck Valid(ClaimsIdentity identity) => new(identity, null);
    public static TokenCheck Invalid(string failure) => new(null, failure);
}
