using System.Text.Json.Nodes;
using Tessera.Testing;

namespace Tessera.RelyingParty.Tests.Infrastructure;

/// <summary>
/// Tessera, the relying party registered in it as a confidential client, and the messages API, each on its own
/// Kestrel at 127.0.0.1. Started in the order the addresses require: the app (its redirect URI goes into the import),
/// Tessera, then the API (it needs the issuer); the app learns the issuer and the API's address last.
/// </summary>
public sealed class RelyingPartyFixture : IAsyncLifetime
{
    public const string ServiceClient = "svc";
    public const string ServiceSecret = "svc-secret-0123456789-abcdefghij";
    public const string Password = "Relying-party-pass-1";
    /// <summary>One user per test: consent is remembered per user, client and scopes.</summary>
    public const string SignsIn = "alice";
    public const string Denies = "bob";

    private RelyingPartyApp? _app;
    private TesseraServer? _server;
    private MessagesApi? _api;

    public RelyingPartyApp App => _app ?? throw new InvalidOperationException("not started");
    public TesseraServer Server => _server ?? throw new InvalidOperationException("not started");
    public MessagesApi Api => _api ?? throw new InvalidOperationException("not started");

    public static string NameOf(string username) => char.ToUpperInvariant(username[0]) + username[1..] + " Example";

    public static JsonObject Import(Uri redirectUri) => new()
    {
        ["apiResources"] = new JsonArray(new JsonObject
        {
            ["name"] = "messages", ["audience"] = MessagesApi.Audience, ["scopes"] = new JsonArray("message", "message:write"),
            ["accessTokenFormat"] = "jwt", ["signingAlgorithm"] = "RS256",
        }),
        ["clients"] = new JsonArray(
            new JsonObject
            {
                ["clientId"] = RelyingPartyApp.ClientId, ["clientSecret"] = RelyingPartyApp.ClientSecret, ["displayName"] = "Third-Party App",
                ["grantTypes"] = new JsonArray("authorization_code"),
                ["redirectUris"] = new JsonArray(redirectUri.ToString()),
                ["scopes"] = new JsonArray("openid", "profile", "email", "message"),
            },
            new JsonObject
            {
                ["clientId"] = ServiceClient, ["clientSecret"] = ServiceSecret,
                ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("message", "message:write"),
            }),
        ["users"] = new JsonArray(new[] { SignsIn, Denies }.Select(username => (JsonNode)new JsonObject
        {
            ["username"] = username, ["password"] = Password, ["name"] = NameOf(username),
            ["email"] = $"{username}@example.com", ["emailVerified"] = true,
        }).ToArray()),
    };

    public async Task InitializeAsync()
    {
        _app = await RelyingPartyApp.StartAsync();
        _server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, Import(_app.RedirectUri));
        _api = await MessagesApi.StartAsync(_server.Issuer);
        _app.Settings.Authority = _server.Issuer;
        _app.Settings.MessagesApi = _api.BaseAddress;
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        if (_app is not null) await _app.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class RelyingPartyCollection : ICollectionFixture<RelyingPartyFixture>
{
    public const string Name = "relying-party";
}
