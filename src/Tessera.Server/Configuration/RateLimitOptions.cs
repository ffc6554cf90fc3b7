namespace Tessera.Server.Configuration;

/// <summary>
/// <c>Tessera:RateLimits</c>: how many attempts a window allows, per partition. A permit count of 0 turns that limit
/// off. Guess counters (failed sign-ins, wrong device codes) live in the database and hold across nodes; the request
/// rates (registration, device authorization, device page, token and introspection) are counted per node.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Failed sign-ins per username (the same count on every node), then 429 until the window ends.</summary>
    public WindowLimit SignInFailuresPerUsername { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(15) };

    /// <summary>Wrong authenticator or recovery codes per user (every node), then 429 until the window ends.</summary>
    public WindowLimit SecondFactorFailuresPerUser { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(15) };

    /// <summary>Failed sign-ins per client IP (every node), against password spraying over many usernames.</summary>
    public WindowLimit SignInFailuresPerIp { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(15) };

    /// <summary>Registration form posts per client IP (per node).</summary>
    public WindowLimit RegistrationsPerIp { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromHours(1) };

    /// <summary>Posts that send account mail (forgot password, verification again) per client IP (per node).</summary>
    public WindowLimit AccountMailRequestsPerIp { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(15) };

    /// <summary>
    /// Account mails per recipient address (every node): a stranger must not make the server flood someone's inbox.
    /// Over the limit the page answers as always, and no message leaves.
    /// </summary>
    public WindowLimit AccountMailsPerAddress { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromHours(1) };

    /// <summary>Passkey ceremonies begun (sign-in page, code page, security page) per client IP (per node): each stores a challenge.</summary>
    public WindowLimit PasskeyCeremoniesPerIp { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary><c>POST /connect/device</c> per client IP (per node): each call creates a row.</summary>
    public WindowLimit ClientRegistrationsPerIp { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromHours(1) };

    public WindowLimit DeviceAuthorizationsPerIp { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };

    /// <summary><c>POST /device</c> per client IP (per node); wrong codes are also counted per user in the database.</summary>
    public WindowLimit DevicePageSubmissionsPerIp { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Wrong device user codes per signed-in user (every node). RFC 8628 §5.1: user codes are short.</summary>
    public WindowLimit WrongUserCodesPerUser { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(5) };

    /// <summary>Token endpoint calls per client_id (per node). Off by default: a busy service calls thousands of times a second.</summary>
    public WindowLimit TokenRequestsPerClient { get; set; } = new() { PermitLimit = 0, Window = TimeSpan.FromSeconds(1) };

    /// <summary>Introspection calls per client_id (per node). Off by default, as for the token endpoint.</summary>
    public WindowLimit IntrospectionRequestsPerClient { get; set; } = new() { PermitLimit = 0, Window = TimeSpan.FromSeconds(1) };

    /// <summary>Every limit by its configuration name, for validation.</summary>
    internal IEnumerable<(string Name, WindowLimit Limit)> All() =>
    [
        (nameof(SignInFailuresPerUsername), SignInFailuresPerUsername),
        (nameof(SignInFailuresPerIp), SignInFailuresPerIp),
        (nameof(SecondFactorFailuresPerUser), SecondFactorFailuresPerUser),
        (nameof(RegistrationsPerIp), RegistrationsPerIp),
        (nameof(ClientRegistrationsPerIp), ClientRegistrationsPerIp),
        (nameof(AccountMailRequestsPerIp), AccountMailRequestsPerIp),
        (nameof(AccountMailsPerAddress), AccountMailsPerAddress),
        (nameof(PasskeyCeremoniesPerIp), PasskeyCeremoniesPerIp),
        (nameof(DeviceAuthorizationsPerIp), DeviceAuthorizationsPerIp),
        (nameof(DevicePageSubmissionsPerIp), DevicePageSubmissionsPerIp),
        (nameof(WrongUserCodesPerUser), WrongUserCodesPerUser),
        (nameof(TokenRequestsPerClient), TokenRequestsPerClient),
        (nameof(IntrospectionRequestsPerClient), IntrospectionRequestsPerClient),
    ];
}

/// <summary>A fixed window: <see cref="PermitLimit"/> attempts per <see cref="Window"/>; 0 permits = no limit.</summary>
public sealed class WindowLimit
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }

    public bool IsOn => PermitLimit > 0;
}
