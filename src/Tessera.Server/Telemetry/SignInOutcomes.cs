namespace Tessera.Server.Telemetry;

/// <summary>The <c>outcome</c> and <c>method</c> tags of <c>tessera.signins</c>: fixed lists, so dashboards can rely on them.</summary>
public static class SignInOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    /// <summary>Refused before the password was checked: too many recent failures for this username or address.</summary>
    public const string Locked = "locked";
    /// <summary>The password was right and a second factor is now asked for.</summary>
    public const string MfaRequired = "mfa_required";

    public const string Password = "pwd";
    public const string SecondFactor = "mfa";
    public const string Passkey = "passkey";
    public const string External = "external";
}
