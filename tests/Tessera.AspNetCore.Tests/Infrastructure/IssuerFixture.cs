using System.Text.Json.Nodes;
using Tessera.Testing;

namespace Tessera.AspNetCore.Tests.Infrastructure;

/// <summary>One Tessera server for the library's tests: JWT APIs (RS256, ES256, a one-second one) and an opaque one.</summary>
public sealed class IssuerFixture : IAsyncLifetime
{
    public const string MessagesAudience = "https://api.example/messages";
    public const string ReportsAudience = "https://api.example/reports";
    public const string LedgerAudience = "https://api.example/ledger";
    public const string BriefAudience = "https://api.example/brief";
    /// <summary>Opaque tokens that live two seconds: shorter than any introspection window.</summary>
    public const string FlashAudience = "https://api.example/flash";
    public const string Service = "svc";
    public const string ServiceSecret = "svc-secret-0123456789-abcdefghij";
    /// <summary>The API's own client at Tessera, for introspection.</summary>
    public const string ApiClient = "messages-api";
    public const string ApiSecret = "messages-api-secret-0123456789-ab";
    public const string Admin = "admin";
    public const string AdminSecret = "admin-secret-0123456789-abcdefgh";

    private TesseraServer? _server;
    public TesseraServer Server => _server ?? throw new InvalidOperationException("not started");
    public ProtocolClient Protocol => new(Server.CreateClient());

    private static JsonObject Api(string name, string audience, string format, string algorithm, string lifetime, params string[] scopes) => new()
    {
        ["name"] = name, ["audience"] = audience, ["scopes"] = new JsonArray(scopes.Select(s => (JsonNode)s).ToArray()),
        ["accessTokenFormat"] = format, ["accessTokenLifetime"] = lifetime,
        ["signingAlgorithm"] = algorithm,
    };

    private static JsonObject Client(string id, string secret, params string[] scopes) => new()
    {
        ["clientId"] = id, ["clientSecret"] = secret, ["grantTypes"] = new JsonArray("client_credentials"),
        ["scopes"] = new JsonArray(scopes.Select(s => (JsonNode)s).ToArray()),
    };

    private static JsonObject Introspecting(JsonObject client, params string[] apis)
    {
        client["introspects"] = new JsonArray(apis.Select(a => (JsonNode)a).ToArray());
        return client;
    }

    public async Task InitializeAsync()
    {
        var opaque = Api("ledger", LedgerAudience, "opaque", "RS256", "00:15:00", "ledger");
        var import = new JsonObject
        {
            ["apiResources"] = new JsonArray(
                Api("messages", MessagesAudience, "jwt", "RS256", "00:15:00", "message", "message:write"),
                Api("reports", ReportsAudience, "jwt", "ES256", "00:15:00", "report"),
                Api("brief", BriefAudience, "jwt", "RS256", "00:00:01", "brief"),
                opaque,
                Api("flash", FlashAudience, "opaque", "RS256", "00:00:02", "flash")),
            ["clients"] = new JsonArray(
                Client(Service, ServiceSecret, "message", "message:write", "report", "ledger", "brief", "flash"),
                // The API's client introspects the APIs it serves (RFC 7662 §4): tokens issued to svc.
                Introspecting(Client(ApiClient, ApiSecret, "report"), "messages", "reports", "brief", "ledger", "flash"),
                Client(Admin, AdminSecret, "tessera:admin")),
        };
        _server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, import);
    }

    public async Task<string> TokenAsync(string scope)
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, scope);
        Assert.True(response.Status == 200, response.Json.ToJsonString());
        return response.AccessToken;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
