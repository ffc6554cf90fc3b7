namespace Tessera.Server.Vocabulary;

/// <summary>
/// Paths of the server-rendered pages, relative to the issuer. Here rather than with the pages because the protocol
/// endpoints send the browser to them (sign-in, consent, sign-out, error) and must not depend on the pages.
/// </summary>
public static class PagePaths
{
    public const string SignIn = "/account/sign-in";
    public const string SignOut = "/account/sign-out";
    public const string Consent = "/consent";

    /// <summary>The second step of a sign-in, and a step-up for a session that has not given a second factor yet.</summary>
    public const string TwoFactor = "/account/sign-in/two-factor";

    /// <summary>RFC 8628 §3.2: the verification URI, where the user types the code a device shows.</summary>
    public const string Device = "/device";

    public const string Error = "/error";

    /// <summary>The page shown for an unknown path or a failed page (404, 500, 503), followed by the status.</summary>
    public const string Problem = "/problem";

    /// <summary>The pages that mailed links open (the links are built from the issuer, never from the request's Host).</summary>
    public const string ResetPassword = "/account/reset-password";
    public const string ConfirmEmail = "/account/confirm-email";
}
