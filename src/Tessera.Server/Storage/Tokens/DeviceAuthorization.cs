namespace Tessera.Server.Storage.Tokens;

/// <summary>
/// A device authorization request (RFC 8628 §3.1–§3.5): the device code is stored as SHA-256 only; the user code is
/// short-lived and unique among stored requests. Pending until the user approves or denies it on the device page;
/// an approved request is redeemed once.
/// </summary>
public sealed class DeviceAuthorization
{
    public required byte[] DeviceCodeHash { get; set; }

    /// <summary>Eight letters of the user-code alphabet (<c>Tokens/UserCodes.cs</c>), without the dash shown to the user.</summary>
    public required string UserCode { get; set; }
    public required string ClientId { get; set; }
    public required string Scope { get; set; }
    public long ExpiresAt { get; set; }

    /// <summary>RFC 8628 §3.5: seconds between polls; every slow_down adds 5.</summary>
    public int Interval { get; set; }
    public long? LastPolledAt { get; set; }
    public required string Status { get; set; }

    /// <summary>Who approved it, and that user's sign-in (auth_time, sid for the ID token).</summary>
    public string? Subject { get; set; }
    public long AuthTime { get; set; }

    /// <summary>RFC 8176 amr values of the sign-in, space-delimited ("pwd otp mfa"); "" when unknown.</summary>
    public string Amr { get; set; } = "";
    public string? SessionId { get; set; }
}

/// <summary>The states of a <see cref="DeviceAuthorization"/>.</summary>
public static class DeviceAuthorizationStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Denied = "denied";
    public const string Redeemed = "redeemed";
}
