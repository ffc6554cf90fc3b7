using System.Net;
using System.Threading.RateLimiting;
using Tessera.Server.Configuration;

namespace Tessera.Server.Throttling;

/// <summary>
/// Request-rate limits per client IP, in memory on each node (ASP.NET Core's rate limiter): a balancer with N nodes
/// allows up to N times the rate, which bounds load and row creation well enough. Guesses are counted in the database
/// instead (<see cref="GuessCounters"/>). The IP is <c>Connection.RemoteIpAddress</c>, which forwarded-headers
/// handling sets to the client's address behind a trusted proxy.
/// </summary>
internal static class RequestRateLimits
{
    public const string Registration = "registration-per-ip";
    public const string DeviceAuthorization = "device-authorization-per-ip";
    public const string ClientRegistration = "client-registration-per-ip";
    public const string AccountMail = "account-mail-per-ip";
    public const string PasskeyCeremony = "passkey-ceremony-per-ip";

    /// <summary>The page handler that begins a passkey ceremony (the pages' other posts are not counted by that limit).</summary>
    public const string PasskeyOptionsHandler = "passkeyoptions";
    public const string DevicePage = "device-page-per-ip";

    public static IServiceCollection AddTesseraRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddSingleton<GuessCounters>();
        services.AddScoped<SignInThrottle>();   // scoped: Identity's ILookupNormalizer is scoped
        services.AddSingleton<ClientRequestLimits>();
        services.AddSingleton<AccountMailThrottle>();
        services.AddRateLimiter(rateLimiter =>
        {
            // Only the forms' POSTs count: showing a page costs nothing worth limiting.
            rateLimiter.AddPolicy(Registration, context => PerIp(context, limits.RegistrationsPerIp, postsOnly: true));
            rateLimiter.AddPolicy(PasskeyCeremony, context =>
                string.Equals(context.Request.Query["handler"], PasskeyOptionsHandler, StringComparison.OrdinalIgnoreCase)
                    ? PerIp(context, limits.PasskeyCeremoniesPerIp, postsOnly: true)
                    : RateLimitPartition.GetNoLimiter(""));
            rateLimiter.AddPolicy(AccountMail, context => PerIp(context, limits.AccountMailRequestsPerIp, postsOnly: true));
            rateLimiter.AddPolicy(DevicePage, context => PerIp(context, limits.DevicePageSubmissionsPerIp, postsOnly: true));
            rateLimiter.AddPolicy(ClientRegistration, context => PerIp(context, limits.ClientRegistrationsPerIp, postsOnly: true));
            rateLimiter.AddPolicy(DeviceAuthorization, context => PerIp(context, limits.DeviceAuthorizationsPerIp, postsOnly: false));
            rateLimiter.OnRejected = (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                return new ValueTask(TooManyRequests.WriteAsync(rejected.HttpContext, TooManyRequests.Seconds(retryAfter)));
            };
        });
        return services;
    }

    private static RateLimitPartition<string> PerIp(HttpContext context, WindowLimit limit, bool postsOnly)
    {
        if (!limit.IsOn || (postsOnly && !HttpMethods.IsPost(context.Request.Method))) return RateLimitPartition.GetNoLimiter("");
        var address = context.Connection.RemoteIpAddress?.ToString() ?? IPAddress.None.ToString();
        return RateLimitPartition.GetFixedWindowLimiter(address, _ => FixedWindow(limit));
    }

    /// <summary>A window that refuses at once when spent (no queue): the caller learns Retry-After instead of waiting.</summary>
    public static FixedWindowRateLimiterOptions FixedWindow(WindowLimit limit) => new()
    {
        PermitLimit = limit.PermitLimit,
        Window = limit.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>Attaches the device authorization limit to its endpoint, only when it is on.</summary>
    public static RouteHandlerBuilder LimitedPerIp(this RouteHandlerBuilder endpoint, string policy, WindowLimit limit) =>
        limit.IsOn ? endpoint.RequireRateLimiting(policy) : endpoint;
}
