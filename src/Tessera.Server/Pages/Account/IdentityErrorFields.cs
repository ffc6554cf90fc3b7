using Microsoft.AspNetCore.Identity;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Which field of a form an Identity error is about, by its code (PasswordTooShort, DuplicateUserName, InvalidEmail…), so
/// the page marks that field invalid (WCAG 3.3.1, 4.1.2) and not the others; an error of no field marks none.
/// </summary>
internal static class IdentityErrorFields
{
    public const string Username = "username";
    public const string Email = "email";
    public const string Password = "password";

    public static string? FieldOf(IdentityError error) =>
        error.Code.StartsWith("Password", StringComparison.Ordinal) ? Password
        : error.Code.Contains("UserName", StringComparison.Ordinal) ? Username
        : error.Code.Contains("Email", StringComparison.Ordinal) ? Email
        : null;

    public static IReadOnlySet<string> Of(IEnumerable<IdentityError> errors) =>
        errors.Select(FieldOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
}
