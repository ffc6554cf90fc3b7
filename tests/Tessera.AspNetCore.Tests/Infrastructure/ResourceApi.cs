using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Authorization;

namespace Tessera.AspNetCore.Tests.Infrastructure;

/// <summary>
/// An API as its developers would write it with this library, on Kestrel at 127.0.0.1: one AddTessera call and scope
/// policies, a minimal-API policy (<c>/messages</c>), an attribute (<c>/messages/write</c>) and an opaque-token API (<c>/ledger</c>).
/// </summary>
public sealed class ResourceApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ResourceApi(WebApplication app, RequestCounter issuerRequests)
    {
        _app = app;
        IssuerRequests = issuerRequests;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    /// <summary>The requests this API made to the issuer.</summary>
    public RequestCounter IssuerRequests { get; }

    /// <param name="sharedCache">A distributed cache this API shares with others (its nodes), for <see cref="TesseraOptions.UseDistributedCache"/>.</param>
    /// <param name="publishMetadata">Maps the RFC 9728 metadata document (<c>MapTesseraProtectedResourceMetadata</c>).</param>
    public static async Task<ResourceApi> StartAsync(string authority, string audience, Action<TesseraOptions>? configure = null, IDistributedCache? sharedCache = null,
        bool publishMetadata = false)
    {
        var counter = new RequestCounter();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication(TesseraDefaults.AuthenticationScheme).AddTessera(o =>
        {
            o.Authority = authority;
            o.Audience = audience;
            o.RequireHttpsMetadata = false;   // only because the issuer is on loopback
            o.BackchannelHttpHandler = counter;
            configure?.Invoke(o);
        });
        builder.Services.AddAuthorization();
        if (sharedCache is not null) builder.Services.AddSingleton(sharedCache);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/messages", (HttpContext context) => Caller(context)).RequireScope("message");
        app.MapGet("/messages/write", [RequireScope("message:write")] (HttpContext context) => Caller(context));
        app.MapGet("/ledger", (HttpContext context) => Caller(context)).RequireScope("ledger");
        app.MapGet("/messages/edit", (HttpContext context) => Caller(context)).RequireScope("message").RequireRole("editor");
        app.MapGet("/ledger/audit", (HttpContext context) => Caller(context)).RequireScope("ledger").RequireRole("auditor", "owner");
        app.MapGet("/messages/transfer", (HttpContext context) => Caller(context)).RequireScope("message").RequireAcr("urn:tessera:acr:mfa");
        app.MapGet("/ledger/transfer", (HttpContext context) => Caller(context)).RequireScope("ledger").RequireAcr("urn:tessera:acr:mfa");
        if (publishMetadata) app.MapTesseraProtectedResourceMetadata();
        await app.StartAsync();
        return new ResourceApi(app, counter);
    }

    private static IResult Caller(HttpContext context) => Results.Json(new
    {
        sub = context.User.FindFirst("sub")?.Value,
        client_id = context.User.FindFirst("client_id")?.Value,
        scope = context.User.FindFirst("scope")?.Value,
    });

    public async Task<HttpResponseMessage> GetAsync(string path, string? token, string header = "Authorization")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.TryAddWithoutValidation(header, header == "Authorization" ? $"Bearer {token}" : token);
        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
