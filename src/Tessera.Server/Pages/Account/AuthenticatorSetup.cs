using System.Text;
using Microsoft.AspNetCore.Identity;
using QRCoder;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// Setting up an authenticator app, shared by the security page and the setup step of a sign-in that requires one: a
/// key shown as a QR code (SVG markup QRCoder wrote), in groups of four, and as its otpauth URI; the first code the app
/// shows turns two-factor sign-in on and makes ten recovery codes.
/// </summary>
internal sealed record AuthenticatorSetup(string Key, string Uri, string QrSvg)
{
    public const int RecoveryCodeCount = 10;

    /// <summary>The label authenticator apps show next to the account (they read it from the otpauth URI).</summary>
    private const string Issuer = "Tessera";

    /// <summary>A new key for the user (the previous one stops working); two-factor sign-in stays as it is until confirmed.</summary>
    public static async Task<AuthenticatorSetup> NewAsync(UserManager<TesseraUser> users, TesseraUser user)
    {
        await users.ResetAuthenticatorKeyAsync(user);
        return await CurrentAsync(users, user);
    }

    /// <summary>The key set up last, shown again (after a wrong first code).</summary>
    public static async Task<AuthenticatorSetup> CurrentAsync(UserManager<TesseraUser> users, TesseraUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("no authenticator key after a reset");
        var uri = $"otpauth://totp/{Issuer}:{System.Uri.EscapeDataString(user.UserName ?? user.Id)}?secret={key}&issuer={Issuer}&digits=6&period=30";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new AuthenticatorSetup(Grouped(key), uri, new SvgQRCode(data).GetGraphic(4));
    }

    /// <summary>The first code: null when it is wrong, else two-factor sign-in is on and these are the recovery codes (shown once).</summary>
    public static async Task<IReadOnlyList<string>?> ConfirmAsync(UserManager<TesseraUser> users, TesseraUser user, string? code)
    {
        if (string.IsNullOrWhiteSpace(code) || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code)) return null;
        await users.SetTwoFactorEnabledAsync(user, true);
        return [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
    }

    private static string Grouped(string key)
    {
        var grouped = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4) grouped.Append(grouped.Length == 0 ? "" : " ").Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        return grouped.ToString().ToLowerInvariant();
    }
}
