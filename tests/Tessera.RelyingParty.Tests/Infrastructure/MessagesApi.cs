using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.RelyingParty.Tests.Infrastructure;

/// <summary>
/// A resource server as its developers would write it: the stock JwtBearer handler with Tessera as its authority
/// (keys from the JWKS found through discovery), its own audience, RFC 9068 <c>at+jwt</c> tokens, and the scope
/// <c>message</c> required on <c>GET /messages</c>.
/// </summary>
public sealed class MessagesApi : IAsyncDisposable
{
    public const string Audience = "https://api.example/messages";

    private readonly WebApplication _app;

    private MessagesApi(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<MessagesApi> StartAsync(string authority)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.Authority = authority;
            o.Audience = Audience;
            o.MapInboundClaims = false;
            o.TokenValidationParameters.ValidTypes = ["at+jwt"];
            // Only because the issuer is on loopback.
            o.RequireHttpsMetadata = false;
        });
        builder.Services.AddAuthorization(o => o.AddPolicy("message", policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.FindFirst("scope")?.Value.Split(' ').Contains("message") == true)));

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/messages", (HttpContext context) => Results.Json(new
        {
            sub = context.User.FindFirst("sub")?.Value,
            client_id = context.User.FindFirst("client_id")?.Value,
            messages = new[] { "hello from the messages API" },
        })).RequireAuthorization("message");
        await app.StartAsync();
        return new MessagesApi(app, new Uri(app.Urls.Single()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
