namespace Tessera.Server.BackChannelLogout;

/// <summary>The logout notifications' sender, its outbox, token writer and HTTP client (no redirects, no cookies).</summary>
internal static class BackChannelLogoutRegistration
{
    public static IServiceCollection AddBackChannelLogout(this IServiceCollection services)
    {
        services.AddSingleton<LogoutOutbox>();
        services.AddSingleton<LogoutTokenWriter>();
        services.AddHttpClient(LogoutDeliveryService.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.AddHostedService<LogoutDeliveryService>();
        return services;
    }
}
