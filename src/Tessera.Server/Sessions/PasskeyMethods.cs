using Microsoft.AspNetCore.Identity;

namespace Tessera.Server.Sessions;

/// <summary>
/// The RFC 8176 amr values of a passkey: <c>swk</c> for a key that may be synced to other devices (WebAuthn's backup
/// eligibility), <c>hwk</c> for one bound to its authenticator; <c>user</c> when the authenticator verified the user
/// (a PIN or biometric), which with the key's possession makes it multi-factor (<c>mfa</c>).
/// </summary>
internal static class PasskeyMethods
{
    public static IReadOnlyList<string> Of(UserPasskeyInfo passkey) =>
        passkey.IsUserVerified
            ? [passkey.IsBackupEligible ? "swk" : "hwk", "user", "mfa"]
            : [passkey.IsBackupEligible ? "swk" : "hwk"];
}
