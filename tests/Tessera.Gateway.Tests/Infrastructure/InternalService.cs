using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Forwarding;

namespace Tessera.Gateway.Tests.Infrastructure;

/// <summary>
/// A microservice behind the gateway, as its developers would write it: it trusts only the identity token in
/// <c>Tessera-Identity</c> (audience: the internal services, keys: Tessera's JWKS). Service A calls service B with an
/// HttpClient that forwards the same identity token; B answers with what it sees of the caller.
/// </summary>
public sealed class InternalService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private InternalService(WebApplication app)
    {
        _app = app;
        BaseAddress = new Uri(app.Urls.Single());
    }

    public Uri BaseAddress { get; }

    /// <summary>Requests that reached this service's endpoint (authenticated).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<InternalService> StartAsync(string name, string authority, string audience, Uri? next)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication(TesseraDefaults.AuthenticationScheme).AddTessera(o =>
        {
            o.Authority = authority;
            o.Audience = audience;
            o.RequireHttpsMetadata = false;   // only because the issuer is on loopback
            o.TokenHeader = TesseraDefaults.IdentityHeader;
        });
        builder.Services.AddAuthorization();
        if (next is not null) builder.Services.AddHttpClient("next", c => c.BaseAddress = next).AddTesseraIdentityForwarding();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        InternalService? self = null;
        app.MapGet("/{**path}", async (HttpContext context, IServiceProvider services) =>
        {
            Interlocked.Increment(ref self!._requests);
            var seen = new JsonObject
            {
                ["service"] = name,
                ["path"] = context.Request.Path.Value,
                ["sub"] = context.User.FindFirst("sub")?.Value,
                ["scope"] = context.User.FindFirst("scope")?.Value,
                ["client_id"] = context.User.FindFirst("client_id")?.Value,
                ["aud"] = context.User.FindFirst("aud")?.Value,
                ["authorization"] = context.Request.Headers.Authorization.ToString(),
                ["cookie"] = context.Request.Headers.Cookie.ToString(),
            };
            if (next is not null)
            {
                var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("next");
                using var response = await client.GetAsync("/whoami", context.RequestAborted);
                seen["next_status"] = (int)response.StatusCode;
                seen["next"] = response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
            }
            return Results.Json(seen);
        }).RequireAuthorization();
        await app.StartAsync();
        self = new InternalService(app);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
