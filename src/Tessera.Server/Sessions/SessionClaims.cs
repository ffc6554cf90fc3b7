using System.Globalization;
using System.Security.Claims;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Sessions;

/// <summary>Claims the session cookie carries besides the user's identity.</summary>
public static class SessionClaims
{
    /// <summary>OIDC Core §2: when the user authenticated (seconds since the epoch), for auth_time and max_age.</summary>
    public const string AuthTime = "auth_time";

    /// <summary>OIDC Front-Channel Logout §3: the session identifier, for the ID token's sid.</summary>
    public const string SessionId = "sid";

    /// <summary>The claims a password sign-in starts a session with: now as auth_time, a fresh sid, amr pwd.</summary>
    public static Claim[] ForPasswordSignIn(TimeProvider clock) =>
    [
        new(AuthTime, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        new(SessionId, SecretGenerator.NewSecret(16)),
        new(AuthenticationMethods, "pwd"),
    ];

    /// <summary>
    /// A sign-in completed with an authenticator or recovery code: the first factor's amr (<c>pwd</c>, or <c>fed</c> for
    /// a step-up of an external sign-in) with <c>otp</c> and <c>mfa</c> (RFC 8176 §2) — or, for a passkey as the second
    /// factor, its own methods (<see cref="PasskeyMethods"/>) —, auth_time when the second factor was given, and the
    /// identity provider of the first factor, if any.
    /// </summary>
    public static Claim[] ForSecondFactorSignIn(
        TimeProvider clock, IEnumerable<string> firstFactor, string? identityProvider, IEnumerable<string>? secondFactor = null)
    {
        var claims = new List<Claim>
        {
            new(AuthTime, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            new(SessionId, SecretGenerator.NewSecret(16)),
        };
        claims.AddRange(firstFactor.Concat(secondFactor ?? ["otp", "mfa"]).Append("mfa").Distinct(StringComparer.Ordinal).Select(method => new Claim(AuthenticationMethods, method)));
        if (identityProvider is not null) claims.Add(new Claim(IdentityProvider, identityProvider));
        return [.. claims];
    }

    /// <summary>A sign-in with a passkey instead of a password: the passkey's own methods (hwk or swk, user, mfa).</summary>
    public static Claim[] ForPasskeySignIn(TimeProvider clock, IEnumerable<string> methods) =>
    [
        new(AuthTime, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        new(SessionId, SecretGenerator.NewSecret(16)),
        .. methods.Select(method => new Claim(AuthenticationMethods, method)),
    ];

    /// <summary>The identity provider a session came through (absent for a local sign-in).</summary>
    public const string IdentityProvider = "idp";

    /// <summary>An external sign-in: amr <c>fed</c> (RFC 8176 §2: a federated provider authenticated the user), and which provider.</summary>
    public static Claim[] ForExternalSignIn(TimeProvider clock, string provider) =>
    [
        new(AuthTime, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        new(SessionId, SecretGenerator.NewSecret(16)),
        new(AuthenticationMethods, "fed"),
        new(IdentityProvider, provider),
    ];

    /// <summary>RFC 8176: how the user signed in, one claim per method.</summary>
    public const string AuthenticationMethods = "amr";

    /// <summary>The session's amr values, space-delimited ("pwd otp mfa"); "" when the cookie has none.</summary>
    public static string AmrOf(ClaimsPrincipal? principal) =>
        string.Join(' ', principal?.FindAll(AuthenticationMethods).Select(c => c.Value) ?? []);

    /// <summary>Whether the sign-in behind the principal gave a second factor (amr mfa, RFC 8176 §2).</summary>
    public static bool GaveSecondFactor(ClaimsPrincipal? principal) =>
        principal?.HasClaim(AuthenticationMethods, AuthenticationContextClasses.MultiFactorMethod) == true;

    /// <summary>The session's auth_time, or 0 when the cookie has none.</summary>
    public static long AuthTimeOf(ClaimsPrincipal? principal) =>
        long.TryParse(principal?.FindFirstValue(AuthTime), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

    /// <summary>How the principal's session was signed in (auth_time, amr, idp): for a new session that replaces it.</summary>
    public static Claim[] AuthenticationOf(ClaimsPrincipal principal) =>
        principal.Claims.Where(c => c.Type is AuthTime or AuthenticationMethods or IdentityProvider).Select(c => new Claim(c.Type, c.Value)).ToArray();
}
