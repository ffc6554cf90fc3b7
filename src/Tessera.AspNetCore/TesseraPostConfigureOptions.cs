using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Tessera.AspNetCore.Caching;

namespace Tessera.AspNetCore;

/// <summary>Fills in what follows from the other options: the backchannel, the configuration manager, the cache.</summary>
internal sealed class TesseraPostConfigureOptions(IServiceProvider services) : IPostConfigureOptions<TesseraOptions>
{
    public void PostConfigure(string? name, TesseraOptions options)
    {
        if (options.Backchannel is null)
        {
            options.Backchannel = new HttpClient(options.BackchannelHttpHandler ?? new HttpClientHandler()) { Timeout = options.BackchannelTimeout };
            options.Backchannel.DefaultRequestHeaders.UserAgent.ParseAdd("Tessera.AspNetCore");
            options.Backchannel.MaxResponseContentBufferSize = 1024 * 1024;
        }

        if (options.ConfigurationManager is null)
        {
            var address = options.MetadataAddress;
            if (string.IsNullOrEmpty(address) && !string.IsNullOrEmpty(options.Authority))
                address = options.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
            if (!string.IsNullOrEmpty(address))
            {
                options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                    address, new OpenIdConnectConfigurationRetriever(),
                    new HttpDocumentRetriever(options.Backchannel) { RequireHttps = options.RequireHttpsMetadata })
                {
                    RefreshInterval = options.RefreshInterval,
                    AutomaticRefreshInterval = options.AutomaticRefreshInterval,
                };
            }
        }

        options.TokenCache ??= TokenCaches.Create(options.TokenCacheSize,
            options.UseDistributedCache ? services.GetService<IDistributedCache>() : null, options.TimeProvider);
    }
}
