using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Users;
using Tessera.Testing;

namespace Tessera.Browser.Tests.ExternalIdentities;

/// <summary>
/// Two real Tessera servers on 127.0.0.1: the upstream is the external OpenID Connect provider, the downstream lists it
/// twice (<c>upstream</c>, which never links by e-mail, and <c>trusted</c>, which may) and holds the application that
/// fetches provider tokens. The downstream's port is picked first: the upstream's import registers its callbacks.
/// </summary>
public sealed class UpstreamFixture : IAsyncLifetime
{
    public const string Password = "Upstream-test-pass-1";
    public const string DownstreamClientId = "tessera-downstream";
    public const string DownstreamClientSecret = "downstream-secret-0123456789-abcdef";
    public const string AppClientId = "token-app";
    public const string AppSecret = "token-app-secret-0123456789-abcdef";
    public const string AdminOnlyClientId = "admin-app";
    /// <summary>A web application of the downstream whose users sign in through the upstream.</summary>
    public const string WebClientId = "web-app";

    /// <summary>Upstream users; "verona" has an unverified e-mail that a downstream local user also has.</summary>
    public static readonly string[] UpstreamUsers = ["ursula", "uma", "ulrich", "lars", "dora", "verona", "denis", "rita", "sandra", "sam", "dina"];

    private Infrastructure.CallbackListener? _callback;
    public Infrastructure.CallbackListener Callback => _callback ?? throw new InvalidOperationException("not started");
    private TesseraServer? _upstream;
    private TesseraServer? _downstream;
    private TesseraServer? _mfaDownstream;
    public TesseraServer Upstream => _upstream ?? throw new InvalidOperationException("not started");
    public TesseraServer Downstream => _downstream ?? throw new InvalidOperationException("not started");

    /// <summary>A second downstream with Tessera:Mfa:Required always: the upstream sign-in is only a first factor there.</summary>
    public TesseraServer MfaDownstream => _mfaDownstream ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var downstreamUrl = $"http://127.0.0.1:{TesseraServer.FreePort()}";
        var mfaDownstreamUrl = $"http://127.0.0.1:{TesseraServer.FreePort()}";
        _callback = await Infrastructure.CallbackListener.StartAsync();
        // Cookies are per host, not per port: the upstream's issuer says "localhost" (it still listens on 127.0.0.1 only)
        // so its session cookie does not overwrite the downstream's, as two sites on different hosts would be.
        var upstreamPort = TesseraServer.FreePort();
        _upstream = await TesseraServer.StartAsync(DatabaseKind.Sqlite, UpstreamImport(downstreamUrl, mfaDownstreamUrl), new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{upstreamPort}/",
            ["Tessera:Issuer"] = $"http://localhost:{upstreamPort}",
        });
        _downstream = await TesseraServer.StartAsync(DatabaseKind.Sqlite, DownstreamImport(Callback.RedirectUri), new Dictionary<string, string?>
        {
            ["Urls"] = downstreamUrl + "/",
            ["Tessera:Issuer"] = downstreamUrl,
            ["Tessera:ExternalProviders:upstream:Type"] = "oidc",
            ["Tessera:ExternalProviders:upstream:DisplayName"] = "Upstream Tessera",
            ["Tessera:ExternalProviders:upstream:Authority"] = Upstream.Issuer,
            ["Tessera:ExternalProviders:upstream:ClientId"] = DownstreamClientId,
            ["Tessera:ExternalProviders:upstream:ClientSecret"] = DownstreamClientSecret,
            ["Tessera:ExternalProviders:trusted:Type"] = "oidc",
            ["Tessera:ExternalProviders:trusted:DisplayName"] = "Trusted Tessera",
            ["Tessera:ExternalProviders:trusted:Authority"] = Upstream.Issuer,
            ["Tessera:ExternalProviders:trusted:ClientId"] = DownstreamClientId,
            ["Tessera:ExternalProviders:trusted:ClientSecret"] = DownstreamClientSecret,
            ["Tessera:ExternalProviders:trusted:LinkByVerifiedEmail"] = "true",
            // This one asks for refresh tokens too, so the provider-token API can renew an expired upstream token.
            ["Tessera:ExternalProviders:trusted:Scopes:0"] = "openid",
            ["Tessera:ExternalProviders:trusted:Scopes:1"] = "profile",
            ["Tessera:ExternalProviders:trusted:Scopes:2"] = "email",
            ["Tessera:ExternalProviders:trusted:Scopes:3"] = "offline_access",
        });
        _mfaDownstream = await TesseraServer.StartAsync(DatabaseKind.Sqlite, new JsonObject(), new Dictionary<string, string?>
        {
            ["Urls"] = mfaDownstreamUrl + "/",
            ["Tessera:Issuer"] = mfaDownstreamUrl,
            ["Tessera:Mfa:Required"] = "always",
            ["Tessera:ExternalProviders:upstream:Type"] = "oidc",
            ["Tessera:ExternalProviders:upstream:DisplayName"] = "Upstream Tessera",
            ["Tessera:ExternalProviders:upstream:Authority"] = Upstream.Issuer,
            ["Tessera:ExternalProviders:upstream:ClientId"] = DownstreamClientId,
            ["Tessera:ExternalProviders:upstream:ClientSecret"] = DownstreamClientSecret,
        });
    }

    private static JsonObject UpstreamImport(string downstreamUrl, string mfaDownstreamUrl) => new()
    {
        ["clients"] = new JsonArray(new JsonObject
        {
            ["clientId"] = DownstreamClientId, ["clientSecret"] = DownstreamClientSecret, ["displayName"] = "Downstream Tessera",
            ["grantTypes"] = new JsonArray("authorization_code", "refresh_token"),
            ["redirectUris"] = new JsonArray(downstreamUrl + "/signin-upstream", downstreamUrl + "/signin-trusted", mfaDownstreamUrl + "/signin-upstream"),
            ["scopes"] = new JsonArray("openid", "profile", "email", "offline_access"),
        }),
        ["users"] = new JsonArray(UpstreamUsers.Select(username => (JsonNode)new JsonObject
        {
            ["username"] = username, ["password"] = Password, ["name"] = username + " Upstream",
            ["email"] = username + "@example.com", ["emailVerified"] = username != "verona",
        }).ToArray()),
    };

    private static JsonObject DownstreamImport(Uri webRedirectUri) => new()
    {
        ["clients"] = new JsonArray(
            new JsonObject
            {
                ["clientId"] = WebClientId, ["clientSecret"] = AppSecret, ["displayName"] = "Web App",
                ["grantTypes"] = new JsonArray("authorization_code"), ["redirectUris"] = new JsonArray(webRedirectUri.ToString()),
                ["scopes"] = new JsonArray("openid", "tessera:provider-tokens"),
            },
            new JsonObject
            {
                ["clientId"] = AppClientId, ["clientSecret"] = AppSecret, ["grantTypes"] = new JsonArray("client_credentials"),
                ["scopes"] = new JsonArray("tessera:provider-tokens"),
            },
            new JsonObject
            {
                ["clientId"] = AdminOnlyClientId, ["clientSecret"] = AppSecret, ["grantTypes"] = new JsonArray("client_credentials"),
                ["scopes"] = new JsonArray("tessera:admin"),
            }),
        // Local accounts sharing an e-mail with an upstream user (dora, verona, denis), and one who links by hand (lena).
        ["users"] = new JsonArray(
            LocalUser("dora", "dora@example.com"), LocalUser("verona", "verona@example.com"),
            LocalUser("denis", "denis@example.com"), LocalUser("lena", "lena@example.com"),
            // Self-registered squatters on someone else's address (unconfirmed): sandra also has a confirmed account, sam has none.
            LocalUser("sandra", "sandra@example.com"), LocalUser("squatter-sandra", "sandra@example.com", verified: false),
            LocalUser("squatter-sam", "sam@example.com", verified: false)),
    };

    private static JsonObject LocalUser(string username, string email, bool verified = true) => new()
    {
        ["username"] = "local-" + username, ["password"] = Password, ["email"] = email, ["emailVerified"] = verified,
    };

    /// <summary>The upstream's subject for one of its users (its sub claim).</summary>
    public async Task<string> UpstreamSubjectAsync(string username)
    {
        await using var scope = Upstream.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<TesseraUser>>().FindByNameAsync(username))!.Id;
    }

    /// <summary>The downstream user an upstream identity is linked to, if any (read only: the test checks what the pages did).</summary>
    public async Task<TesseraUser?> LinkedUserAsync(string provider, string upstreamSubject)
    {
        await using var scope = Downstream.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<TesseraUser>>().FindByLoginAsync(provider, upstreamSubject);
    }

    public async Task<int> DownstreamUserCountAsync()
    {
        await using var scope = Downstream.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TesseraDbContext>().Users.CountAsync();
    }

    public async Task<int> DownstreamLinkCountAsync()
    {
        await using var scope = Downstream.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TesseraDbContext>().UserLogins.CountAsync();
    }

    public async Task<string> DownstreamUserIdAsync(string username)
    {
        await using var scope = Downstream.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<TesseraUser>>().FindByNameAsync(username))!.Id;
    }

    /// <summary>
    /// Moves a stored provider token's expiry into the past, as time would: the upstream's access tokens live ten
    /// minutes, longer than a test should wait. Only the expiry changes; the tokens stay the upstream's own.
    /// </summary>
    public async Task<Tessera.Server.ExternalIdentities.ProviderTokenSet> ExpireStoredTokenAsync(string userId, string provider)
    {
        await using var scope = Downstream.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<Tessera.Server.ExternalIdentities.ProviderTokens>();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<TesseraUser>>().FindByIdAsync(userId))!;
        var stored = (await tokens.ReadAsync(user, provider))!;
        await tokens.SaveAsync(user, provider, stored with { ExpiresAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 10 });
        return stored;
    }

    public async Task<Tessera.Server.ExternalIdentities.ProviderTokenSet?> StoredTokenAsync(string userId, string provider)
    {
        await using var scope = Downstream.Services.CreateAsyncScope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<TesseraUser>>().FindByIdAsync(userId))!;
        return await scope.ServiceProvider.GetRequiredService<Tessera.Server.ExternalIdentities.ProviderTokens>().ReadAsync(user, provider);
    }

    public async Task<bool> HasPasswordAsync(string userId)
    {
        await using var scope = Downstream.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TesseraUser>>();
        return await users.HasPasswordAsync((await users.FindByIdAsync(userId))!);
    }

    /// <summary>Whether a token appears in clear in Identity's token table (it must not: the store encrypts).</summary>
    public async Task<bool> StoredInClearAsync(string token)
    {
        await using var scope = Downstream.Services.CreateAsyncScope();
        var values = await scope.ServiceProvider.GetRequiredService<TesseraDbContext>().UserTokens.Select(t => t.Value).ToListAsync();
        return values.Any(v => v is not null && v.Contains(token, StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        if (_downstream is not null) await _downstream.DisposeAsync();
        if (_mfaDownstream is not null) await _mfaDownstream.DisposeAsync();
        if (_upstream is not null) await _upstream.DisposeAsync();
        if (_callback is not null) await _callback.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class UpstreamCollection : ICollectionFixture<UpstreamFixture>
{
    public const string Name = "external-upstream";
}
