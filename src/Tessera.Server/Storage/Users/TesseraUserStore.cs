using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace Tessera.Server.Storage.Users;

/// <summary>
/// Identity's EF Core user store with its two-factor secrets kept safe at rest: the authenticator key is encrypted
/// with Data Protection (a copy of the database alone cannot mint codes), and recovery codes are stored as salted
/// PBKDF2 hashes (a copy of the database cannot sign in with them). Identity still does the rest: it generates the
/// key and the codes, and redeems a code by comparing what this store keeps.
/// </summary>
internal sealed class TesseraUserStore(TesseraDbContext context, IDataProtectionProvider protection, IdentityErrorDescriber? describer = null)
    : UserStore<TesseraUser, TesseraRole, TesseraDbContext>(context, describer)
{
    private readonly IDataProtector _keys = protection.CreateProtector("Tessera.AuthenticatorKey.v1");

    // A recovery code has about 40 bits of entropy (Identity's format): the iterations make an offline search slow.
    private const int RecoveryCodeIterations = 20_000;

    public override Task SetAuthenticatorKeyAsync(TesseraUser user, string key, CancellationToken cancellationToken) =>
        base.SetAuthenticatorKeyAsync(user, _keys.Protect(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(TesseraUser user, CancellationToken cancellationToken)
    {
        var stored = await base.GetAuthenticatorKeyAsync(user, cancellationToken);
        return stored is null ? null : _keys.Unprotect(stored);
    }

    // Recovery codes are kept under a name of Tessera's own: Identity's store would hand its stored values back to
    // ReplaceCodesAsync when it redeems one, which would hash the hashes.
    private const string RecoveryCodesProvider = "[Tessera]";
    private const string RecoveryCodesName = "RecoveryCodeHashes";

    public override Task ReplaceCodesAsync(TesseraUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken) =>
        SetTokenAsync(user, RecoveryCodesProvider, RecoveryCodesName, string.Join(';', recoveryCodes.Select(code => HashRecoveryCode(user, code))), cancellationToken);

    /// <summary>
    /// Removes the code's hash; UserManager then saves the user with its concurrency stamp, so two nodes redeeming the
    /// same code at once cannot both succeed.
    /// </summary>
    public override async Task<bool> RedeemCodeAsync(TesseraUser user, string code, CancellationToken cancellationToken)
    {
        var hashes = await StoredHashesAsync(user, cancellationToken);
        var hash = HashRecoveryCode(user, code);
        if (!hashes.Contains(hash)) return false;
        await SetTokenAsync(user, RecoveryCodesProvider, RecoveryCodesName, string.Join(';', hashes.Where(h => h != hash)), cancellationToken);
        return true;
    }

    public override async Task<int> CountCodesAsync(TesseraUser user, CancellationToken cancellationToken) =>
        (await StoredHashesAsync(user, cancellationToken)).Length;

    private async Task<string[]> StoredHashesAsync(TesseraUser user, CancellationToken cancellationToken) =>
        (await GetTokenAsync(user, RecoveryCodesProvider, RecoveryCodesName, cancellationToken))?.Split(';', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>Salted with the user's id: the same code of two users hashes differently. Case and spaces do not matter to the user.</summary>
    private static string HashRecoveryCode(TesseraUser user, string code)
    {
        var normalized = code.Trim().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(normalized), Encoding.UTF8.GetBytes("tessera-recovery-code:" + user.Id),
            RecoveryCodeIterations, HashAlgorithmName.SHA256, 32);
        return Convert.ToBase64String(hash);
    }
}
