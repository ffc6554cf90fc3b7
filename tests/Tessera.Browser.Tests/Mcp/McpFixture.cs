using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Samples.Mcp;
using Tessera.Testing;

namespace Tessera.Browser.Tests.Mcp;

/// <summary>
/// samples/mcp on 127.0.0.1 and the Tessera server it trusts: registration open to the notes scopes (an MCP client
/// registers itself, MCP 2025-11-25 "Dynamic Client Registration"), the MCP server's URL registered as an API resource
/// (its audience, RFC 8707), users who sign in, and a confidential client whose client-credentials tokens the refusal
/// tests present wrongly.
/// </summary>
public sealed class McpFixture : IAsyncLifetime
{
    /// <summary>One user per test: consent is remembered per user, client and scopes.</summary>
    public static readonly string[] Usernames = ["mia", "noah", "olive"];
    public const string Password = "Mcp-browser-pass-1";
    public const string Robot = "notes-robot";
    public const string RobotSecret = "notes-robot-secret-0123456789-abcdef";
    /// <summary>Another API: a token for it is a token for someone else at the MCP server.</summary>
    public const string ElsewhereAudience = "https://elsewhere.example/api";

    private CallbackListener? _callback;
    private TesseraServer? _server;
    private WebApplication? _mcp;

    public CallbackListener Callback => _callback ?? throw new InvalidOperationException("not started");
    public TesseraServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>The MCP endpoint, which is also the resource identifier and the tokens' audience.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _callback = await CallbackListener.StartAsync();
        // The MCP server's address is in Tessera's import (its audience), so its port is chosen first.
        Endpoint = new Uri($"http://127.0.0.1:{TesseraServer.FreePort()}/mcp");
        _server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, Import(Endpoint.ToString()), new Dictionary<string, string?>
        {
            ["Tessera:Registration:Enabled"] = "true",
            ["Tessera:Registration:AllowedScopes:0"] = "openid",
            ["Tessera:Registration:AllowedScopes:1"] = "offline_access",
            ["Tessera:Registration:AllowedScopes:2"] = "notes:read",
            ["Tessera:Registration:AllowedScopes:3"] = "notes:write",
        });
        // Development: the library reads a plain-http issuer's metadata only there (loopback here).
        _mcp = NotesMcpServer.Build(
        [
            "--environment", "Development", "--urls", Endpoint.GetLeftPart(UriPartial.Authority),
            "--Tessera:Authority", _server.Issuer, "--Mcp:Resource", Endpoint.ToString(), "--Logging:LogLevel:Default", "Warning",
        ]);
        await _mcp.StartAsync();
    }

    private static JsonObject Import(string resource) => new()
    {
        ["apiResources"] = new JsonArray(
            new JsonObject
            {
                ["name"] = "notes", ["audience"] = resource, ["scopes"] = new JsonArray("notes:read", "notes:write"),
                ["accessTokenFormat"] = "jwt", ["signingAlgorithm"] = "ES256",
            },
            new JsonObject
            {
                ["name"] = "elsewhere", ["audience"] = ElsewhereAudience, ["scopes"] = new JsonArray("elsewhere"),
                ["accessTokenFormat"] = "jwt", ["signingAlgorithm"] = "ES256",
            }),
        ["clients"] = new JsonArray(new JsonObject
        {
            ["clientId"] = Robot, ["clientSecret"] = RobotSecret, ["grantTypes"] = new JsonArray("client_credentials"),
            ["scopes"] = new JsonArray("notes:read", "elsewhere"),
        }),
        ["users"] = new JsonArray(Usernames.Select(username => (JsonNode)new JsonObject
        {
            ["username"] = username, ["password"] = Password, ["email"] = $"{username}@example.com", ["emailVerified"] = true,
        }).ToArray()),
    };

    public async Task DisposeAsync()
    {
        if (_mcp is not null) await _mcp.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        if (_callback is not null) await _callback.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class McpCollection : ICollectionFixture<McpFixture>
{
    public const string Name = "mcp";
}
