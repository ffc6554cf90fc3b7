using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.AspNetCore.Forwarding;

public static class HttpClientBuilderExtensions
{
    /// <summary><c>services.AddHttpClient("b").AddTesseraIdentityForwarding()</c>: calls made while serving a request carry its identity token.</summary>
    public static IHttpClientBuilder AddTesseraIdentityForwarding(this IHttpClientBuilder builder, string header = TesseraDefaults.IdentityHeader)
    {
        builder.Services.AddHttpContextAccessor();
        return builder.AddHttpMessageHandler(services => new IdentityForwardingHandler(services.GetRequiredService<IHttpContextAccessor>(), header));
    }
}
