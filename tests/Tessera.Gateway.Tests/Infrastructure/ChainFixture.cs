using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Tests.Infrastructure;
using Tessera.Gateway.Authentication;
using Tessera.Testing;

namespace Tessera.Gateway.Tests.Infrastructure;

/// <summary>
/// The real chain on 127.0.0.1: Tessera → gateway (Kestrel, YARP) → service A → service B. Started in the order the
/// addresses require: the gateway's port is reserved first (its redirect URI goes into Tessera's import), then
/// Tessera, the services, the gateway.
/// </summary>
public sealed class ChainFixture : IAsyncLifetime
{
    public const string MessagesAudience = "https://api.example/messages";
    public const string LedgerAudience = "https://api.example/ledger";
    public const string InternalAudience = "https://internal.example";
    public const string Service = "svc";
    public const string ServiceSecret = "svc-secret-0123456789-abcdefghij";
    public const string GatewayClient = "gateway";
    public const string GatewaySecret = "gateway-secret-0123456789-abcdefg";
    public const string User = "alice";
    public const string Password = "Gateway-user-pass-1";
    /// <summary>Short, so the revocation test sees the window end.</summary>
    public static readonly TimeSpan IntrospectionWindow = TimeSpan.FromSeconds(2);

    private TesseraServer? _server;
    private InternalService? _a, _b;
    private WebApplication? _gateway;

    public TesseraServer Server => _server!;
    public InternalService A => _a!;
    public InternalService B => _b!;
    public Uri GatewayAddress { get; private set; } = null!;
    /// <summary>The gateway's requests to Tessera (introspection, token exchange, discovery, JWKS).</summary>
    public RequestCounter GatewayToIssuer { get; } = new();
    public ProtocolClient Protocol => new(Server.CreateClient());
    public HttpClient CreateGatewayClient() => new() { BaseAddress = GatewayAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static JsonArray Strings(params string[] values) => new(values.Select(v => (JsonNode)v).ToArray());

    public static JsonObject Import(Uri gateway) => new()
    {
        ["apiResources"] = new JsonArray(
            // 35 s: a session's access token is refreshed within its last 30 s, so the session test sees a refresh.
            new JsonObject { ["name"] = "messages", ["audience"] = MessagesAudience, ["scopes"] = Strings("message", "message:write"), ["accessTokenFormat"] = "jwt", ["signingAlgorithm"] = "RS256", ["accessTokenLifetime"] = "00:00:35" },
            new JsonObject { ["name"] = "ledger", ["audience"] = LedgerAudience, ["scopes"] = Strings("ledger"), ["accessTokenFormat"] = "opaque", ["personalAccessTokens"] = true },
            new JsonObject { ["name"] = "internal", ["audience"] = InternalAudience, ["scopes"] = Strings("internal"), ["accessTokenFormat"] = "jwt", ["signingAlgorithm"] = "ES256", ["accessTokenLifetime"] = "00:05:00" }),
        ["clients"] = new JsonArray(
            new JsonObject { ["clientId"] = Service, ["clientSecret"] = ServiceSecret, ["grantTypes"] = Strings("client_credentials"), ["scopes"] = Strings("message", "message:write", "ledger") },
            new JsonObject
            {
                ["clientId"] = GatewayClient, ["clientSecret"] = GatewaySecret, ["displayName"] = "Gateway",
                ["grantTypes"] = Strings("authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange"),
                ["redirectUris"] = Strings(new Uri(gateway, "/signin-oidc").ToString()),
                ["postLogoutRedirectUris"] = Strings(new Uri(gateway, "/signout-callback-oidc").ToString()),
                ["scopes"] = Strings("openid", "profile", "offline_access", "internal", "message", "ledger"),
                // The gateway checks the ledger API's opaque tokens (issued to svc) through introspection.
                ["introspects"] = Strings("ledger"),
                // OIDC Back-Channel Logout: Tessera tells the gateway when a session its users signed in with ends.
                ["backchannelLogoutUri"] = new Uri(gateway, SessionEndpoints.BackChannelLogoutPath).ToString(),
                ["backchannelLogoutSessionRequired"] = true,
            }),
        ["users"] = new JsonArray(new JsonObject
        {
            ["username"] = User, ["password"] = Password, ["name"] = "Alice Example", ["email"] = "alice@example.com", ["emailVerified"] = true,
        }),
    };

    public async Task InitializeAsync()
    {
        GatewayAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        _server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, Import(GatewayAddress));
        _b = await InternalService.StartAsync("B", Server.Issuer, InternalAudience, next: null);
        _a = await InternalService.StartAsync("A", Server.Issuer, InternalAudience, next: B.BaseAddress);
        _gateway = GatewayApp.Create([], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(GatewaySettings(Server.Issuer, GatewayAddress, A.BaseAddress));
            builder.Services.Configure<TesseraOptions>(GatewaySchemes.Bearer, o => o.BackchannelHttpHandler = GatewayToIssuer);
        });
        await _gateway.StartAsync();
    }

    public static Dictionary<string, string?> GatewaySettings(string issuer, Uri gateway, Uri upstream) => new()
    {
        ["Urls"] = gateway.ToString(),
        ["Gateway:Authority"] = issuer,
        ["Gateway:RequireHttpsMetadata"] = "false",
        ["Gateway:ClientId"] = GatewayClient,
        ["Gateway:ClientSecret"] = GatewaySecret,
        ["Gateway:Audiences:0"] = MessagesAudience,
        ["Gateway:Audiences:1"] = LedgerAudience,
        ["Gateway:InternalAudience"] = InternalAudience,
        ["Gateway:Scopes:0"] = "message",
        ["Gateway:IntrospectionCacheWindow"] = IntrospectionWindow.ToString(),
        ["ReverseProxy:Routes:messages:ClusterId"] = "a",
        ["ReverseProxy:Routes:messages:Match:Path"] = "/messages/{**rest}",
        ["ReverseProxy:Routes:messages:Metadata:Tessera.Scopes"] = "message",
        ["ReverseProxy:Routes:write:ClusterId"] = "a",
        ["ReverseProxy:Routes:write:Match:Path"] = "/write/{**rest}",
        ["ReverseProxy:Routes:write:Metadata:Tessera.Scopes"] = "message:write",
        ["ReverseProxy:Routes:ledger:ClusterId"] = "a",
        ["ReverseProxy:Routes:ledger:Match:Path"] = "/ledger/{**rest}",
        ["ReverseProxy:Routes:ledger:Metadata:Tessera.Scopes"] = "ledger",
        ["ReverseProxy:Clusters:a:Destinations:a:Address"] = upstream.ToString(),
    };

    public async Task<string> TokenAsync(string scope)
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, scope);
        Assert.True(response.Status == 200, response.Json.ToJsonString());
        return response.AccessToken;
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null) { await _gateway.StopAsync(); await _gateway.DisposeAsync(); }
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
