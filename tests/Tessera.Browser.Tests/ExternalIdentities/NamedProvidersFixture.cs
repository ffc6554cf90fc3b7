using System.Text.Json.Nodes;
using Tessera.Testing;

namespace Tessera.Browser.Tests.ExternalIdentities;

/// <summary>
/// A Tessera with the named providers: WeChat against the local stand-in, GitHub with its real endpoints, Google and
/// Microsoft with their real authorization endpoints given explicitly (their discovery documents are out of reach here).
/// </summary>
public sealed class NamedProvidersFixture : IAsyncLifetime
{
    public const string AppClientId = "token-app";
    public const string AppSecret = "token-app-secret-0123456789-abcdef";
    public const string WeChatAppId = WeChatStandIn.AppId;

    private WeChatStandIn? _wechat;
    private TesseraServer? _server;
    public WeChatStandIn WeChat => _wechat ?? throw new InvalidOperationException("not started");
    public TesseraServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _wechat = await WeChatStandIn.StartAsync();
        var standIn = WeChat.BaseAddress.ToString().TrimEnd('/');
        _server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, new JsonObject
        {
            ["clients"] = new JsonArray(new JsonObject
            {
                ["clientId"] = AppClientId, ["clientSecret"] = AppSecret, ["grantTypes"] = new JsonArray("client_credentials"),
                ["scopes"] = new JsonArray("tessera:provider-tokens"),
            }),
        }, new Dictionary<string, string?>
        {
            ["Tessera:ExternalProviders:wechat:Type"] = "wechat",
            ["Tessera:ExternalProviders:wechat:DisplayName"] = "WeChat",
            ["Tessera:ExternalProviders:wechat:ClientId"] = WeChatStandIn.AppId,
            ["Tessera:ExternalProviders:wechat:ClientSecret"] = WeChatStandIn.Secret,
            ["Tessera:ExternalProviders:wechat:AuthorizationEndpoint"] = standIn + "/connect/qrconnect",
            ["Tessera:ExternalProviders:wechat:TokenEndpoint"] = standIn + "/sns/oauth2/access_token",
            ["Tessera:ExternalProviders:wechat:UserInformationEndpoint"] = standIn + "/sns/userinfo",
            ["Tessera:ExternalProviders:wechat:RefreshEndpoint"] = standIn + "/sns/oauth2/refresh_token",
            ["Tessera:ExternalProviders:github:Type"] = "github",
            ["Tessera:ExternalProviders:github:DisplayName"] = "GitHub",
            ["Tessera:ExternalProviders:github:ClientId"] = "Iv1.github-client",
            ["Tessera:ExternalProviders:github:ClientSecret"] = "github-secret",
            ["Tessera:ExternalProviders:google:Type"] = "google",
            ["Tessera:ExternalProviders:google:DisplayName"] = "Google",
            ["Tessera:ExternalProviders:google:ClientId"] = "1234.apps.googleusercontent.com",
            ["Tessera:ExternalProviders:google:ClientSecret"] = "google-secret",
            ["Tessera:ExternalProviders:google:AuthorizationEndpoint"] = "https://accounts.google.com/o/oauth2/v2/auth",
            ["Tessera:ExternalProviders:google:TokenEndpoint"] = "https://oauth2.googleapis.com/token",
            ["Tessera:ExternalProviders:microsoft:Type"] = "microsoft",
            ["Tessera:ExternalProviders:microsoft:DisplayName"] = "Microsoft",
            ["Tessera:ExternalProviders:microsoft:ClientId"] = "00000000-0000-0000-0000-000000000001",
            ["Tessera:ExternalProviders:microsoft:ClientSecret"] = "microsoft-secret",
            ["Tessera:ExternalProviders:microsoft:AuthorizationEndpoint"] = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
            ["Tessera:ExternalProviders:microsoft:TokenEndpoint"] = "https://login.microsoftonline.com/common/oauth2/v2.0/token",
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_wechat is not null) await _wechat.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class NamedProvidersCollection : ICollectionFixture<NamedProvidersFixture>
{
    public const string Name = "external-named-providers";
}
