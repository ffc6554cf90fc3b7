using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Tessera.Server.Pages.Localization;

/// <summary>
/// ASP.NET Core Identity's messages a person reads on the register, reset and security pages (the password rules above
/// all), through the pages' resource. The English keys are Identity's own words, so outside the pages — the import, the
/// admin API, which run in the invariant culture — nothing changes.
/// </summary>
internal sealed class LocalizedIdentityErrors(IStringLocalizer<PageText> text) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), text["Passwords must be at least {0} characters.", length]);
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(nameof(PasswordRequiresUniqueChars), text["Passwords must use at least {0} different characters.", uniqueChars]);
    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), text["Passwords must have at least one non alphanumeric character."]);
    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), text["Passwords must have at least one digit ('0'-'9')."]);
    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), text["Passwords must have at least one lowercase ('a'-'z')."]);
    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), text["Passwords must have at least one uppercase ('A'-'Z')."]);
    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), text["Incorrect password."]);
    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), text["Username '{0}' is already taken.", userName]);
    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), text["Username '{0}' is invalid, can only contain letters or digits.", userName ?? ""]);
    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), text["Email '{0}' is invalid.", email ?? ""]);
    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), text["Email '{0}' is already taken.", email]);
    public override IdentityError InvalidToken() => Error(nameof(InvalidToken), text["Invalid token."]);
    public override IdentityError DefaultError() => Error(nameof(DefaultError), text["An unknown failure has occurred."]);

    private static IdentityError Error(string code, LocalizedString description) => new() { Code = code, Description = description.Value };
}
