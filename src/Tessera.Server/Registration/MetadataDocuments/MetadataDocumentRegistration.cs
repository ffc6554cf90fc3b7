using Tessera.Server.Catalog;
using Tessera.Server.Configuration;

namespace Tessera.Server.Registration.MetadataDocuments;

/// <summary>The services behind client ID metadata documents; the catalog sees only DocumentClients and the loader's interface.</summary>
internal static class MetadataDocumentRegistration
{
    public static IServiceCollection AddClientIdMetadataDocuments(this IServiceCollection services, ClientIdMetadataDocumentOptions settings)
    {
        services.AddSingleton<DocumentClients>();
        services.AddSingleton<DocumentFetcher>();
        services.AddSingleton<IClientDocumentLoader, ClientIdMetadataDocumentLoader>();
        services.AddSingleton<IClientKeySets, JwksUriKeySets>();
        services.AddHttpClient(DocumentFetcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => DocumentFetcher.CreateHandler(settings))
            // The fetcher bounds each fetch itself; HttpClient's own 100 s default must not be the one that fires.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        return services;
    }
}
