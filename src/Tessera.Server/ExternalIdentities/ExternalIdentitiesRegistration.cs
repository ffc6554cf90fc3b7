namespace Tessera.Server.ExternalIdentities;

/// <summary>The services behind external sign-in, the provider-token store and its API.</summary>
internal static class ExternalIdentitiesRegistration
{
    public static void AddExternalIdentities(this IServiceCollection services)
    {
        services.AddSingleton<ExternalProviderList>();
        services.AddScoped<ProviderTokens>();
        services.AddScoped<ExternalAccounts>();
        services.AddSingleton<ProviderTokenRefresher>();
    }
}
