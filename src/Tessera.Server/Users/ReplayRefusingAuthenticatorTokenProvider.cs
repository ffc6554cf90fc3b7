using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Users;

/// <summary>
/// Identity's authenticator token provider (RFC 6238 TOTP: 6 digits, 30-second steps, HMAC-SHA1, the key Identity
/// generated), with what Identity's own lacks: a code is accepted once. The step it matched must be later than the last
/// accepted one, written with a conditional UPDATE so two nodes given the same code at once accept it only once
/// (RFC 6238 §5.2: the verifier must not accept the second attempt of the same OTP). One step of clock drift is allowed
/// either way (§5.2's recommended network delay).
/// </summary>
internal sealed class ReplayRefusingAuthenticatorTokenProvider(ITesseraDbContextFactory databases, TimeProvider clock) : IUserTwoFactorTokenProvider<TesseraUser>
{
    private static readonly VerificationWindow OneStepEitherWay = new(previous: 1, future: 1);

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<TesseraUser> manager, TesseraUser user) =>
        !string.IsNullOrEmpty(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>The authenticator app makes the codes; the server never sends one.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<TesseraUser> manager, TesseraUser user) => Task.FromResult("");

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<TesseraUser> manager, TesseraUser user)
    {
        var code = token.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit)) return false;
        if (await manager.GetAuthenticatorKeyAsync(user) is not { Length: > 0 } key) return false;

        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, code, out var step, OneStepEitherWay)) return false;

        await using var db = databases.Create();
        var claimed = await db.Users.Where(u => u.Id == user.Id && (u.LastAuthenticatorStep == null || u.LastAuthenticatorStep < step))
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.LastAuthenticatorStep, step));
        // The tracked user must not write the old step back at its next update.
        if (claimed == 1) user.LastAuthenticatorStep = step;
        return claimed == 1;
    }
}
