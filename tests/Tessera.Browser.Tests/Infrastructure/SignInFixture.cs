using System.Text.Json.Nodes;
using Tessera.Testing;

namespace Tessera.Browser.Tests.Infrastructure;

/// <summary>
/// A Tessera server with a confidential web client whose redirect URI is the <see cref="CallbackListener"/>, an API
/// for its access tokens and a user; shared by the browser tests (each test has its own Chromium and so its own session).
/// SQLite only: the storage is covered on both databases by Tessera.Server.Tests; here the browser is under test.
/// </summary>
public sealed class SignInFixture : IAsyncLifetime
{
    public const string ClientId = "browser-app";
    public const string ClientSecret = "browser-app-secret-0123456789-abcdef";
    /// <summary>The same app registered with requireMfa: every sign-in for it gives a second factor.</summary>
    public const string MfaClientId = "browser-app-mfa";
    /// <summary>
    /// One user per test: consent is remembered per user, client and scopes, so a user who allowed access in one test
    /// would see no consent page in another, whatever order xunit picks.
    /// </summary>
    public static readonly string[] Usernames = ["alice", "bob", "carol", "dave", "erin", "grace", "heidi", "judy", "ken"];
    public const string Password = "Browser-test-pass-1";

    public static string NameOf(string username) => char.ToUpperInvariant(username[0]) + username[1..] + " Liddell";
    public static string EmailOf(string username) => $"{username}@example.com";
    public const string MessagesAudience = "https://api.example/messages";

    private CallbackListener? _callback;
    private TesseraServer? _server;
    private SmtpInbox? _inbox;

    /// <summary>The SMTP server the Tessera server mails to (self-registration is open, so a test can sign up).</summary>
    public SmtpInbox Inbox => _inbox ?? throw new InvalidOperationException("not started");

    public CallbackListener Callback => _callback ?? throw new InvalidOperationException("not started");
    public TesseraServer Server => _server ?? throw new InvalidOperationException("not started");

    public static JsonObject Import(Uri redirectUri) => new()
    {
        ["apiResources"] = new JsonArray(new JsonObject
        {
            ["name"] = "messages", ["audience"] = MessagesAudience, ["scopes"] = new JsonArray("message"),
            ["accessTokenFormat"] = "jwt", ["signingAlgorithm"] = "RS256",
        }),
        ["clients"] = new JsonArray(
            new JsonObject
            {
                ["clientId"] = ClientId, ["clientSecret"] = ClientSecret, ["displayName"] = "Browser Test App",
                ["grantTypes"] = new JsonArray("authorization_code"),
                ["redirectUris"] = new JsonArray(redirectUri.ToString()),
                ["scopes"] = new JsonArray("openid", "profile", "email", "message"),
            },
            new JsonObject
            {
                ["clientId"] = MfaClientId, ["clientSecret"] = ClientSecret, ["displayName"] = "Browser Test App (second factor)",
                ["grantTypes"] = new JsonArray("authorization_code"),
                ["redirectUris"] = new JsonArray(redirectUri.ToString()),
                ["scopes"] = new JsonArray("openid", "profile"),
                ["requireMfa"] = true,
            }),
        ["users"] = new JsonArray(Usernames.Select(username => (JsonNode)new JsonObject
        {
            ["username"] = username, ["password"] = Password, ["name"] = NameOf(username), ["email"] = EmailOf(username), ["emailVerified"] = true,
        }).ToArray()),
    };

    public async Task InitializeAsync()
    {
        // The listener first: its port is part of the redirect URI the import registers.
        _callback = await CallbackListener.StartAsync();
        _inbox = SmtpInbox.Start();
        var settings = _inbox.Settings();
        settings["Tessera:Users:SelfRegistration"] = "true";
        _server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, Import(_callback.RedirectUri), settings);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_callback is not null) await _callback.DisposeAsync();
        _inbox?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SignInCollection : ICollectionFixture<SignInFixture>
{
    public const string Name = "browser-sign-in";
}
