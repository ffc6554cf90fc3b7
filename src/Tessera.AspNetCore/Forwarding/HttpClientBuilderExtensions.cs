using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.AspNetCore.Forwarding;

public static class HttpClientBuilderExtensions
{
    /// <summary>
    /// <c>services.AddHttpClient("b", c => c.BaseAddress = …).AddTesseraIdentityForwarding()</c>: calls made while
    /// serving a request carry its identity token to the client's base address, and to no other host. The client does
    /// not follow redirects: a followed redirect would carry the header to wherever it points.
    /// </summary>
    public static IHttpClientBuilder AddTesseraIdentityForwarding(this IHttpClientBuilder builder, string header = TesseraDefaults.IdentityHeader)
    {
        builder.Services.AddHttpContextAccessor();
        var target = new ForwardingTarget();
        // Runs after the client's own configuration (registered before this call), which sets its base address.
        builder.ConfigureHttpClient(client => target.Origin = client.BaseAddress);
        builder.ConfigurePrimaryHttpMessageHandler((primary, _) =>
        {
            if (primary is SocketsHttpHandler sockets) sockets.AllowAutoRedirect = false;
            else if (primary is HttpClientHandler classic) classic.AllowAutoRedirect = false;
        });
        return builder.AddHttpMessageHandler(services => new IdentityForwardingHandler(services.GetRequiredService<IHttpContextAccessor>(), target, header));
    }
}
