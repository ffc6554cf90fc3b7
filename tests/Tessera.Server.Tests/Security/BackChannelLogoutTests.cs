using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// OIDC Back-Channel Logout 1.0 (issue 17): when a session ends, every client that received tokens in it and
/// registered a back-channel logout URI gets a logout token — verified here as a relying party would (signature against
/// the JWKS, typ logout+jwt, iss, aud, the event, sid and sub of the ID token, no nonce) — from an outbox in the
/// database that survives a restart. Refresh tokens issued without offline_access end with the session;
/// offline_access ones survive an ordinary sign-out but not "sign out everywhere".
/// </summary>
public abstract class BackChannelLogoutTests(DatabaseKind kind)
{
    private const string WebPath = "/logout/web";
    private const string GatewayPath = "/logout/gateway";

    private static JsonObject Import(LogoutListener listener)
    {
        var import = PeopleImport.Create();
        foreach (var client in import["clients"]!.AsArray())
        {
            if ((string?)client!["clientId"] == PeopleImport.Web) client["backchannelLogoutUri"] = listener.UriFor(WebPath).ToString();
            if ((string?)client["clientId"] == PeopleImport.Gateway) client["backchannelLogoutUri"] = listener.UriFor(GatewayPath).ToString();
        }
        return import;
    }

    private static Dictionary<string, string?> FastDelivery(string? issuer = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tessera:BackChannelLogout:PollInterval"] = "00:00:00.2",
            ["Tessera:BackChannelLogout:FirstRetryDelay"] = "00:00:01",
        };
        if (issuer is not null) settings["Tessera:Issuer"] = issuer;
        return settings;
    }

    /// <summary>Alice signs in at the web client on <paramref name="browser"/> (keeping the session); the token response.</summary>
    private static async Task<ProtocolResponse> SignInAtWebAsync(Browser browser, ProtocolClient protocol, string scope)
    {
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, scope, null)))["code"];
        var token = await protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));
        Assert.Equal(200, token.Status);
        return token;
    }

    private static async Task SignOutAsync(Browser browser)
    {
        var page = await browser.GetAsync("/account/sign-out");
        Assert.Equal(200, (await browser.FollowAsync(await browser.SubmitAsync(page, "/account/sign-out", []))).Status);
    }

    /// <summary>§2.6 as a relying party validates a logout token; the validated token.</summary>
    private static async Task<JsonWebToken> ValidateLogoutTokenAsync(TesseraServer server, string token, string audience)
    {
        using var http = server.CreateClient();
        var jwks = new JsonWebKeySet(await http.GetStringAsync("/.well-known/jwks"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = server.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["logout+jwt"],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        });
        Assert.True(result.IsValid, result.Exception?.ToString());
        return (JsonWebToken)result.SecurityToken;
    }

    [Fact]
    public async Task After_a_sign_out_the_client_that_received_tokens_in_the_session_gets_a_verifiable_logout_token_and_no_other_client_does()
    {
        await using var listener = await LogoutListener.StartAsync();
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import(listener), FastDelivery());
        var protocol = new ProtocolClient(server.CreateClient());
        using var browser = new Browser(server);
        var idToken = Jwt.Payload((string)(await SignInAtWebAsync(browser, protocol, "openid")).Json["id_token"]!);

        await SignOutAsync(browser);
        var delivered = await listener.WaitForDeliveryAsync(WebPath);
        var logout = await ValidateLogoutTokenAsync(server, delivered.LogoutToken!, PeopleImport.Web);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal("application/x-www-form-urlencoded", delivered.ContentType);
        Assert.Equal((string?)idToken["sid"], logout.GetClaim("sid").Value);
        Assert.Equal((string?)idToken["sub"], logout.Subject);
        Assert.Contains("http://schemas.openid.net/event/backchannel-logout", logout.GetClaim("events").Value, StringComparison.Ordinal);
        Assert.False(logout.TryGetClaim("nonce", out _));
        Assert.False(string.IsNullOrEmpty(logout.Id));
        Assert.Equal(120, (logout.ValidTo - logout.IssuedAt).TotalSeconds);
        Assert.Single(listener.At(WebPath));
        Assert.Empty(listener.At(GatewayPath));
        using var http = server.CreateClient();
        var discovery = JsonNode.Parse(await http.GetStringAsync("/.well-known/openid-configuration"))!;
        Assert.True((bool?)discovery["backchannel_logout_supported"]);
        Assert.True((bool?)discovery["backchannel_logout_session_supported"]);
    }

    [Fact]
    public async Task The_node_that_ends_a_session_sends_at_once_without_waiting_for_its_poll()
    {
        // The poll a minute apart (its most): only the wake after the session's end can deliver within the wait.
        await using var listener = await LogoutListener.StartAsync();
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import(listener),
            new Dictionary<string, string?> { ["Tessera:BackChannelLogout:PollInterval"] = "00:01:00" });
        var protocol = new ProtocolClient(server.CreateClient());
        using var browser = new Browser(server);
        await SignInAtWebAsync(browser, protocol, "openid");

        await SignOutAsync(browser);

        Assert.NotNull((await listener.WaitForDeliveryAsync(WebPath, seconds: 10)).LogoutToken);
    }

    [Fact]
    public async Task A_notification_waits_in_the_database_through_a_restart_until_the_client_answers()
    {
        await using var listener = await LogoutListener.StartAsync();
        await using var database = await TestDatabase.CreateAsync(kind);
        listener.Status = 503;
        string sid, issuer;
        await using (var first = await TesseraServer.StartAsync(database, Import(listener), FastDelivery()))
        {
            issuer = first.Issuer;
            var protocol = new ProtocolClient(first.CreateClient());
            using var browser = new Browser(first);
            sid = (string)Jwt.Payload((string)(await SignInAtWebAsync(browser, protocol, "openid")).Json["id_token"]!)["sid"]!;
            await SignOutAsync(browser);
            await listener.WaitForAttemptsAsync(WebPath, 1);
        }
        // The node that ended the session is gone; the client is back.
        listener.Status = 200;
        await using var second = await TesseraServer.StartAsync(database, Import(listener), FastDelivery(issuer));

        var delivered = await listener.WaitForDeliveryAsync(WebPath);
        var logout = await ValidateLogoutTokenAsync(second, delivered.LogoutToken!, PeopleImport.Web);

        Assert.Equal(sid, logout.GetClaim("sid").Value);
        Assert.All(listener.At(WebPath).SkipLast(1), attempt => Assert.Equal(503, attempt.AnsweredStatus));
    }

    [Fact]
    public async Task A_client_that_keeps_failing_is_tried_max_attempts_times_and_then_given_up()
    {
        await using var listener = await LogoutListener.StartAsync();
        await using var database = await TestDatabase.CreateAsync(kind);
        listener.Status = 500;
        var settings = FastDelivery();
        settings["Tessera:BackChannelLogout:MaxAttempts"] = "2";
        await using var server = await TesseraServer.StartAsync(database, Import(listener), settings);
        var protocol = new ProtocolClient(server.CreateClient());
        using var browser = new Browser(server);
        await SignInAtWebAsync(browser, protocol, "openid");

        await SignOutAsync(browser);
        await listener.WaitForAttemptsAsync(WebPath, 2);
        // Two more first-retry delays: a third attempt would have come by now.
        await Task.Delay(TimeSpan.FromSeconds(3.5));

        Assert.Equal(2, listener.At(WebPath).Count);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Tessera.Server.Storage.TesseraDbContext>();
        Assert.Equal(0, await db.LogoutNotifications.CountAsync());
    }

    [Fact]
    public async Task A_refresh_token_without_offline_access_ends_with_the_session_and_an_offline_one_survives_the_sign_out()
    {
        await using var listener = await LogoutListener.StartAsync();
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import(listener), FastDelivery());
        var protocol = new ProtocolClient(server.CreateClient());
        using var browser = new Browser(server);
        var bound = RefreshTokenOf(await SignInAtWebAsync(browser, protocol, "openid"));
        var offline = RefreshTokenOf(await SignInAtWebAsync(browser, protocol, "openid offline_access"));
        var rotated = await RefreshAsync(protocol, bound);
        Assert.Equal(200, rotated.Status);

        await SignOutAsync(browser);

        Assert.Equal("invalid_grant", (await RefreshAsync(protocol, RefreshTokenOf(rotated))).Error);
        var survived = await RefreshAsync(protocol, offline);
        Assert.Equal(200, survived.Status);

        // "Sign out everywhere" (from another session) ends the offline_access grant too.
        using var other = new Browser(server);
        await SignInAtWebAsync(other, protocol, "openid");
        var account = await other.GetAsync("/account");
        await other.SubmitAsync(account, "/account?handler=EndAllSessions", []);
        Assert.Equal("invalid_grant", (await RefreshAsync(protocol, RefreshTokenOf(survived))).Error);
    }

    [Fact]
    public async Task An_administrators_revoke_tells_every_client_of_every_session()
    {
        await using var listener = await LogoutListener.StartAsync();
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import(listener), FastDelivery());
        var protocol = new ProtocolClient(server.CreateClient());
        using var laptop = new Browser(server);
        using var phone = new Browser(server);
        var sids = new[]
        {
            (string)Jwt.Payload((string)(await SignInAtWebAsync(laptop, protocol, "openid")).Json["id_token"]!)["sid"]!,
            (string)Jwt.Payload((string)(await SignInAtWebAsync(phone, protocol, "openid")).Json["id_token"]!)["sid"]!,
        };

        Assert.Equal(204, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, $"/admin/users/{PeopleImport.Alice}/revoke")).Status);
        await listener.WaitForAttemptsAsync(WebPath, 2);

        var received = new List<string>();
        foreach (var delivery in listener.At(WebPath))
            received.Add((await ValidateLogoutTokenAsync(server, delivery.LogoutToken!, PeopleImport.Web)).GetClaim("sid").Value);
        Assert.Equal(sids.Order(), received.Order());
    }
}

public sealed class BackChannelLogoutTests_Sqlite() : BackChannelLogoutTests(DatabaseKind.Sqlite);

public sealed class BackChannelLogoutTests_Postgres() : BackChannelLogoutTests(DatabaseKind.Postgres);
