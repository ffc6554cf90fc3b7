namespace Tessera.Server.Storage.Throttling;

/// <summary>
/// One partition's wrong guesses in its current fixed window, shared by every node through the database, so several
/// nodes behind one balancer do not multiply an attacker's guesses.
/// </summary>
public sealed class GuessCounter
{
    /// <summary>What is counted, e.g. <c>sign-in:username</c> (<see cref="GuessKinds"/>).</summary>
    public string Kind { get; set; } = "";

    /// <summary>SHA-256 (hex) of the normalized partition value: the table never holds a username or an address.</summary>
    public string Key { get; set; } = "";

    /// <summary>Unix seconds when the current window began.</summary>
    public long WindowStart { get; set; }

    /// <summary>Unix seconds when the current window ends; housekeeping deletes the row after it.</summary>
    public long ExpiresAt { get; set; }

    /// <summary>Guesses reserved in the window, right ones given back; may exceed the limit (refused reservations).</summary>
    public int Count { get; set; }
}

/// <summary>The kinds of guess counted in <see cref="GuessCounter"/>.</summary>
internal static class GuessKinds
{
    public const string SignInUsername = "sign-in:username";
    public const string SignInIp = "sign-in:ip";
    public const string DeviceUserCode = "device-code:user";
    public const string SecondFactorUser = "second-factor:user";
    public const string AccountMailAddress = "account-mail:address";
}
