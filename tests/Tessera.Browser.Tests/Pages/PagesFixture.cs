using System.Text.Json.Nodes;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Browser.Tests.Pages;

/// <summary>
/// A Tessera server with every page switched on — self-registration, account mail (forgot password), an app that asks
/// for consent and a device-flow client — for <see cref="EveryPageIsAccessibleInChromiumTests"/>. One user looks at the
/// pages that change nothing; each culture and size has its own user for two-factor sign-in (turning it on changes the
/// user), for the keyboard journey (allowing access is remembered, and the consent page must come every time) and for
/// the password reset (mails to one address are limited).
/// </summary>
public sealed class PagesFixture : IAsyncLifetime
{
    public const string WebClientId = "pages-app";
    public const string WebClientSecret = "pages-app-secret-0123456789-abcdef";
    public const string DeviceClientId = "pages-tv";
    public const string DeviceGrantType = "urn:ietf:params:oauth:grant-type:device_code";
    public const string Reader = "reader";

    private CallbackListener? _callback;
    private TesseraServer? _server;
    private SmtpInbox? _inbox;

    /// <summary>Where the server's account mail (the password reset link) arrives.</summary>
    public SmtpInbox Inbox => _inbox ?? throw new InvalidOperationException("not started");

    public CallbackListener Callback => _callback ?? throw new InvalidOperationException("not started");
    public TesseraServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>The user who turns on two-factor sign-in in the row for <paramref name="culture"/> and <paramref name="width"/>.</summary>
    public static string TwoFactorUser(string culture, int width) => RowUser("twofactor", culture, width);

    /// <summary>The user who signs in and allows access by keyboard in the row for <paramref name="culture"/> and <paramref name="width"/>.</summary>
    public static string KeyboardUser(string culture, int width) => RowUser("keyboard", culture, width);

    /// <summary>The superadmin who opens the console in the row for <paramref name="culture"/> and <paramref name="width"/> (sets up a second factor first).</summary>
    public static string ConsoleAdmin(string culture, int width) => RowUser("admin", culture, width);

    /// <summary>The user who asks for a password reset link in the row for <paramref name="culture"/> and <paramref name="width"/>.</summary>
    public static string ForgetfulUser(string culture, int width) => RowUser("forgetful", culture, width);

    private static string RowUser(string purpose, string culture, int width) => $"{purpose}-{culture.ToLowerInvariant()}-{width}";

    private static JsonObject Import(Uri callback) => new()
    {
        ["apiResources"] = new JsonArray(new JsonObject
        {
            ["name"] = "messages", ["audience"] = SignInFixture.MessagesAudience, ["scopes"] = new JsonArray("message"),
            ["accessTokenFormat"] = "jwt", ["signingAlgorithm"] = "RS256",
            // So the tokens page offers a scope and can list a token.
            ["personalAccessTokens"] = true,
        }),
        ["clients"] = new JsonArray(
            new JsonObject
            {
                ["clientId"] = WebClientId, ["clientSecret"] = WebClientSecret, ["displayName"] = "Pages Test App",
                ["grantTypes"] = new JsonArray("authorization_code"),
                ["redirectUris"] = new JsonArray(callback.ToString()),
                ["scopes"] = new JsonArray("openid", "profile", "email", "message"),
            },
            new JsonObject
            {
                ["clientId"] = DeviceClientId, ["public"] = true, ["displayName"] = "Pages TV",
                ["grantTypes"] = new JsonArray(DeviceGrantType),
                ["scopes"] = new JsonArray("openid", "profile"),
            }),
        ["roles"] = new JsonArray(new JsonObject { ["name"] = "superadmins", ["permissions"] = new JsonArray("tessera:admin") }),
        ["users"] = new JsonArray(Usernames().Select(username => (JsonNode)new JsonObject
        {
            ["username"] = username, ["password"] = SignInFixture.Password, ["name"] = SignInFixture.NameOf(username),
            ["email"] = SignInFixture.EmailOf(username), ["emailVerified"] = true,
            ["roles"] = username.StartsWith("admin-", StringComparison.Ordinal) ? new JsonArray("superadmins") : new JsonArray(),
        }).ToArray()),
    };

    private static IEnumerable<string> Usernames() =>
        PageRows.Cultures
            .SelectMany(culture => PageRows.Sizes.SelectMany(size => new[] { TwoFactorUser(culture, size.Width), KeyboardUser(culture, size.Width), ForgetfulUser(culture, size.Width), ConsoleAdmin(culture, size.Width) }))
            .Prepend(Reader);

    public async Task InitializeAsync()
    {
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
