using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Forwarding;

namespace Tessera.AspNetCore.Tests;

/// <summary>
/// AddTesseraIdentityForwarding: the identity token goes to the client's own service and nowhere else — not to an
/// absolute URL on another host, not along a redirect.
/// </summary>
public sealed class IdentityForwardingTests
{
    private const string Token = "eyJ.identity.token";

    [Fact]
    public async Task The_token_reaches_the_base_address_but_not_another_host_nor_a_redirect_target()
    {
        await using var sink = await StartAsync(app => app.MapGet("/sink", (HttpContext c) => c.Request.Headers[TesseraDefaults.IdentityHeader].ToString()));
        var sinkUrl = sink.Urls.Single();
        await using var next = await StartAsync(app =>
        {
            app.MapGet("/echo", (HttpContext c) => c.Request.Headers[TesseraDefaults.IdentityHeader].ToString());
            // The attack: the next service (or an open redirect on it) sends the caller elsewhere.
            app.MapGet("/elsewhere", () => Results.Redirect(sinkUrl + "/sink"));
        });

        var services = new ServiceCollection();
        services.AddHttpClient("next", c => c.BaseAddress = new Uri(next.Urls.Single())).AddTesseraIdentityForwarding();
        await using var provider = services.BuildServiceProvider();
        var context = new DefaultHttpContext();
        context.Features.Set(new TesseraTokenFeature(Token, "hash"));
        provider.GetRequiredService<IHttpContextAccessor>().HttpContext = context;
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("next");

        var own = await client.GetStringAsync("/echo");
        var otherHost = await client.GetStringAsync(sinkUrl + "/sink");
        var redirected = await client.GetAsync("/elsewhere");

        Assert.Equal(Token, own);
        Assert.Equal("", otherHost);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
    }

    private static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }
}
