using Tessera.Server.Configuration;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Whether a user's sign-in must end with a second factor whatever the user chose: everyone's where
/// Tessera:Mfa:Required is always, and this user's where an administrator (or the import) set requireMfa.
/// </summary>
internal static class SecondFactorRequirement
{
    public static bool AppliesTo(TesseraUser user, MfaOptions mfa) => mfa.Required == MfaRequirement.Always || user.RequireMfa;
}
