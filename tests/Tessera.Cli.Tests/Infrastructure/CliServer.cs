using System.Text.Json.Nodes;
using Tessera.Testing;

namespace Tessera.Cli.Tests.Infrastructure;

/// <summary>The server the CLI talks to: the CLI's public client, APIs of each token format, a resource server, alice.</summary>
public static class CliServer
{
    public const string CliClientId = "tessera-cli";
    public const string ResourceServer = "svc";
    public const string ResourceServerSecret = "svc-secret-0123456789-abcdefghij";
    public const string Admin = "admin";
    public const string AdminSecret = "admin-secret-0123456789-abcdefgh";
    public const string Alice = "alice";
    public const string AlicePassword = "Alice-cli-pass-1";
    public const string MessagesAudience = "https://api.example/messages";
    public const string LedgerAudience = "https://api.example/ledger";

    public static JsonObject Import() => new()
    {
        ["apiResources"] = new JsonArray
        {
            AcceptingPats(Api("messages", MessagesAudience, "message", "jwt", "RS256", "00:15:00")),
            AcceptingPats(Api("ledger", LedgerAudience, "ledger", "opaque", null, "01:00:00")),
            Api("short", "https://api.example/short", "short", "jwt", "RS256", "00:00:01"),
            Api("reports", "https://api.example/reports", "reports", "jwt", "HS256", "00:15:00"),
        },
        ["clients"] = new JsonArray
        {
            new JsonObject
            {
                ["clientId"] = CliClientId, ["public"] = true, ["displayName"] = "Tessera command-line tool",
                ["grantTypes"] = new JsonArray("urn:ietf:params:oauth:grant-type:device_code", "authorization_code", "refresh_token"),
                ["redirectUris"] = new JsonArray("http://127.0.0.1/callback"),
                ["scopes"] = new JsonArray("openid", "offline_access", "tessera:pats", "message", "ledger"),
            },
            new JsonObject
            {
                ["clientId"] = ResourceServer, ["clientSecret"] = ResourceServerSecret,
                ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("message", "ledger", "short", "reports"),
                // The APIs' resource server: introspection tells it about their tokens, whoever they were issued to.
                ["introspects"] = new JsonArray("messages", "ledger", "short", "reports"),
            },
            new JsonObject
            {
                ["clientId"] = Admin, ["clientSecret"] = AdminSecret,
                ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("tessera:admin", "tessera:admin:read"),
            },
        },
        ["users"] = new JsonArray
        {
            new JsonObject { ["username"] = Alice, ["password"] = AlicePassword, ["name"] = "Alice" },
        },
    };

    /// <summary>One-second device polling keeps the login test short.</summary>
    public static readonly Dictionary<string, string?> Settings = new() { ["Tessera:DeviceFlow:Interval"] = "00:00:01" };

    private static JsonObject AcceptingPats(JsonObject api)
    {
        api["personalAccessTokens"] = true;
        return api;
    }

    private static JsonObject Api(string name, string audience, string scope, string format, string? algorithm, string lifetime)
    {
        var api = new JsonObject
        {
            ["name"] = name, ["audience"] = audience, ["scopes"] = new JsonArray(scope), ["accessTokenFormat"] = format, ["accessTokenLifetime"] = lifetime,
        };
        if (algorithm is not null) api["signingAlgorithm"] = algorithm;
        return api;
    }
}

/// <summary>One server for a test class.</summary>
public sealed class CliServerFixture : IAsyncLifetime
{
    private TesseraServer? _server;

    public TesseraServer Server => _server ?? throw new InvalidOperationException("not started");
    public string Issuer => Server.Issuer;

    public async Task InitializeAsync() => _server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, CliServer.Import(), CliServer.Settings);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
