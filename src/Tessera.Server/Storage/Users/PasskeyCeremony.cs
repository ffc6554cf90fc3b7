namespace Tessera.Server.Storage.Users;

/// <summary>
/// One WebAuthn ceremony in progress (a passkey being registered, or asked for): the state Identity's passkey handler
/// made with the challenge, kept here rather than in the browser so that it is used once on every node — a replayed
/// response finds no ceremony. The browser holds only <see cref="Id"/>, in a short-lived cookie.
/// </summary>
public sealed class PasskeyCeremony
{
    /// <summary>SHA-256 (hex) of the random handle in the cookie.</summary>
    public string Id { get; set; } = "";

    /// <summary><see cref="PasskeyCeremonyKinds"/>: a registration's state cannot finish a sign-in.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The user the ceremony is for: the registering user, or the one giving a second factor; null for a sign-in without a username.</summary>
    public string? UserId { get; set; }

    /// <summary>Identity's attestation or assertion state (JSON with the challenge).</summary>
    public string State { get; set; } = "";

    /// <summary>Unix seconds; housekeeping deletes the row after it, and a later answer is refused.</summary>
    public long ExpiresAt { get; set; }
}

public static class PasskeyCeremonyKinds
{
    public const string Registration = "registration";
    public const string SignIn = "sign-in";
    public const string SecondFactor = "second-factor";
}
