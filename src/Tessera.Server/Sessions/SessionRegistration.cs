using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Tessera.Server.Users;

namespace Tessera.Server.Sessions;

/// <summary>Server-side sessions behind the session cookie.</summary>
internal static class SessionRegistration
{
    public static IServiceCollection AddServerSideSessions(this IServiceCollection services)
    {
        services.AddSingleton<SessionCache>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<LogoutsQueued>();
        services.AddSingleton<SessionActivity>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionActivity>());
        services.AddSingleton<DisabledUsers>();
        services.AddSingleton<ServerSideSessionEvents>();
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme,
            cookie => cookie.EventsType = typeof(ServerSideSessionEvents));
        return services;
    }
}
