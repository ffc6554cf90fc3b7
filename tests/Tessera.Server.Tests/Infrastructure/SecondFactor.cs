using System.Text.RegularExpressions;
using OtpNet;
using Tessera.Testing;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>
/// A user's authenticator app, set up through /account/security as the user would (the key read from the page, the
/// first code computed with Otp.NET), and the recovery codes the page showed. An authenticator code is accepted once
/// per 30-second step, and tests sign in more often than that: later sign-ins take recovery codes, one each.
/// </summary>
public sealed partial class SecondFactor
{
    private readonly Totp _totp;
    private readonly Queue<string> _unused;

    private SecondFactor(string key, IReadOnlyList<string> recoveryCodes)
    {
        _totp = new Totp(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()));
        RecoveryCodes = recoveryCodes;
        _unused = new Queue<string>(recoveryCodes);
    }

    public IReadOnlyList<string> RecoveryCodes { get; }

    /// <summary>The code the app shows now, or a number of 30-second steps later.</summary>
    public string Code(int steps = 0) => _totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30 * steps));

    /// <summary>A recovery code not used yet.</summary>
    public string NextRecoveryCode() => _unused.Dequeue();

    /// <summary>Signs the user in (a new browser) and sets up an authenticator, confirmed with the current code.</summary>
    public static async Task<SecondFactor> EnableAsync(TesseraServer server, string username, string password)
    {
        using var browser = new Browser(server);
        var signIn = await browser.FollowAsync(await browser.GetAsync("/account/security"));
        var security = await browser.FollowAsync(await browser.SubmitAsync(signIn, signIn.RequestPath,
            [("username", username), ("password", password), ("returnUrl", signIn.Field("returnUrl")!)]));
        if (security.RequestPath != "/account/security") throw new InvalidOperationException($"{username} did not reach the security page: {security.RequestPath}");
        var setup = await browser.SubmitAsync(security, "/account/security?handler=setup", []);
        var key = KeyOnPage().Match(setup.Html).Groups[1].Value;
        var first = new SecondFactor(key, []);
        var enabled = await browser.SubmitAsync(setup, "/account/security?handler=confirm", [("code", first.Code())]);
        if (enabled.Status != 200) throw new InvalidOperationException($"setting up the authenticator answered {enabled.Status}");
        return new SecondFactor(key, [.. RecoveryCodeOnPage().Matches(enabled.Html).Select(m => m.Groups[1].Value)]);
    }

    /// <summary>The key as the setup page shows it.</summary>
    public static string KeyOf(Browser.Page setup) => KeyOnPage().Match(setup.Html).Groups[1].Value;

    /// <summary>The recovery codes as the page that turned two-factor sign-in on shows them.</summary>
    public static IReadOnlyList<string> RecoveryCodesOf(Browser.Page enabled) => [.. RecoveryCodeOnPage().Matches(enabled.Html).Select(m => m.Groups[1].Value)];

    /// <summary>An authenticator for a key read elsewhere.</summary>
    public static SecondFactor ForKey(string key) => new(key, []);

    [GeneratedRegex("<code id=\"authenticator-key\">([^<]+)</code>")]
    private static partial Regex KeyOnPage();

    [GeneratedRegex("<code class=\"recovery-code\">([^<]+)</code>")]
    private static partial Regex RecoveryCodeOnPage();
}
