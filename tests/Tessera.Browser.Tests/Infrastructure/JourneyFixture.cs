using System.Text.Json.Nodes;
using Tessera.Testing;

namespace Tessera.Browser.Tests.Infrastructure;

/// <summary>
/// A Tessera server for the longer journeys: a confidential web client that may refresh and log out back to the
/// <see cref="CallbackListener"/>, and a public device-flow client (RFC 8628). Its own users, so no consent recorded by
/// another test changes what these see. One per test class; the classes join <see cref="SignInCollection"/> so that no
/// two Chromiums run at once.
/// </summary>
public sealed class JourneyFixture : IAsyncLifetime
{
    public const string WebClientId = "journey-web";
    public const string WebClientSecret = "journey-web-secret-0123456789-abcdef";
    public const string WebClientName = "Journey Web App";
    public const string DeviceClientId = "journey-tv";
    public const string DeviceClientName = "Journey TV";
    public const string DeviceGrantType = "urn:ietf:params:oauth:grant-type:device_code";
    /// <summary>Who goes through the web journey and who connects the device.</summary>
    public const string WebUser = "frank";
    public const string DeviceUser = "grace";

    private CallbackListener? _callback;
    private TesseraServer? _server;

    public CallbackListener Callback => _callback ?? throw new InvalidOperationException("not started");
    public TesseraServer Server => _server ?? throw new InvalidOperationException("not started");

    public static JsonObject Import(Uri callback) => new()
    {
        ["clients"] = new JsonArray(
            new JsonObject
            {
                ["clientId"] = WebClientId, ["clientSecret"] = WebClientSecret, ["displayName"] = WebClientName,
                ["grantTypes"] = new JsonArray("authorization_code", "refresh_token"),
                ["redirectUris"] = new JsonArray(callback.ToString()),
                ["postLogoutRedirectUris"] = new JsonArray(callback.ToString()),
                ["scopes"] = new JsonArray("openid", "profile", "email", "offline_access"),
            },
            new JsonObject
            {
                ["clientId"] = DeviceClientId, ["public"] = true, ["displayName"] = DeviceClientName,
                ["grantTypes"] = new JsonArray(DeviceGrantType),
                ["scopes"] = new JsonArray("openid", "profile"),
            }),
        ["users"] = new JsonArray(new[] { WebUser, DeviceUser }.Select(username => (JsonNode)new JsonObject
        {
            ["username"] = username, ["password"] = SignInFixture.Password, ["name"] = SignInFixture.NameOf(username),
            ["email"] = SignInFixture.EmailOf(username), ["emailVerified"] = true,
        }).ToArray()),
    };

    public async Task InitializeAsync()
    {
        _callback = await CallbackListener.StartAsync();
        _server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, Import(_callback.RedirectUri));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_callback is not null) await _callback.DisposeAsync();
    }
}
