using System.Text.RegularExpressions;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Creating a personal access token needs a recent sign-in: on the page (Tessera:PersonalAccessTokens:PageMaxAuthAge)
/// and through /api/pats (the bearer token's auth_time within MaxAuthAge, RFC 9470 §3 otherwise). This server allows
/// 3 seconds for both, so "old" is a short wait away.
/// </summary>
public abstract partial class RecentSignInTests(TesseraServer server) : ServerTest(server)
{
    public const string MaxAge = "00:00:03";
    private static readonly TimeSpan PastMaxAge = TimeSpan.FromSeconds(4.5);

    [Fact]
    public async Task A_personal_access_token_cannot_be_created_through_the_api_with_a_token_from_an_old_sign_in()
    {
        var tokens = await CodeFlow.WebTokensAsync(Server, Protocol, "openid offline_access tessera:pats");
        var fresh = await PatApi.CreateAsync(Protocol, tokens.AccessToken, new { name = "fresh", scopes = new[] { "ledger" }, expires_in_days = 1 });
        Assert.Equal(201, fresh.Status);

        await Task.Delay(PastMaxAge);
        var stale = await PatApi.CreateAsync(Protocol, tokens.AccessToken, new { name = "stale", scopes = new[] { "ledger" }, expires_in_days = 1 });
        // The attack: a refresh gives a new access token, but the sign-in behind it is as old as before.
        var refreshed = await CodeFlow.RefreshAsync(Protocol, CodeFlow.RefreshTokenOf(tokens));
        var viaRefresh = await PatApi.CreateAsync(Protocol, refreshed.AccessToken, new { name = "refreshed", scopes = new[] { "ledger" }, expires_in_days = 1 });

        foreach (var refused in new[] { stale, viaRefresh })
        {
            Assert.Equal(401, refused.Status);
            Assert.Equal("insufficient_user_authentication", refused.Error);
            Assert.Equal("creating a personal access token needs a recent sign-in; sign in again", refused.ErrorDescription);
            var challenge = refused.Http.Headers.WwwAuthenticate.ToString();
            Assert.Contains("error=\"insufficient_user_authentication\"", challenge);
            Assert.Contains("max_age=3", challenge);
        }
        var names = (await PatApi.ListAsync(Protocol, refreshed.AccessToken)).Json["tokens"]!.AsArray().Select(t => (string?)t!["name"]).ToList();
        Assert.Contains("fresh", names);
        Assert.DoesNotContain("stale", names);
        Assert.DoesNotContain("refreshed", names);
    }

    [Fact]
    public async Task The_account_page_asks_for_the_password_again_before_creating_a_token_from_an_old_session()
    {
        using var browser = new Browser(Server);
        var page = await SignInAsync(browser, await browser.FollowAsync(await browser.GetAsync("/account/tokens")));
        Assert.Equal("/account/tokens", page.RequestPath);

        await Task.Delay(PastMaxAge);
        // The attack: a session cookie copied a while ago posts the form.
        var stale = await browser.SubmitAsync(page, "/account/tokens?handler=create", [("name", "from-old-session"), ("scopes", "ledger"), ("days", "1")]);

        Assert.Equal(302, stale.Status);
        Assert.StartsWith("/account/sign-in", stale.Location);
        Assert.Contains("login_hint=alice", stale.Location);
        var again = await SignInAsync(browser, await browser.FollowAsync(stale));
        Assert.Equal("/account/tokens", again.RequestPath);
        Assert.DoesNotContain("<td>from-old-session</td>", again.Html);
        var created = await browser.SubmitAsync(again, "/account/tokens?handler=create", [("name", "after-sign-in"), ("scopes", "ledger"), ("days", "1")]);
        Assert.Matches(NewToken(), created.Html);
    }

    [Fact]
    public async Task Access_tokens_of_a_sign_in_carry_its_auth_time_and_client_tokens_do_not()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var jwt = (await CodeFlow.WebTokensAsync(Server, Protocol, "openid message")).AccessToken;
        var opaque = (await CodeFlow.WebTokensAsync(Server, Protocol, "openid ledger")).AccessToken;
        var client = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.InRange((long)Jwt.Payload(jwt)["auth_time"]!, before - 1, after);
        Assert.InRange((long)(await Protocol.IntrospectAsync(Other, OtherSecret, opaque)).Json["auth_time"]!, before - 1, after);
        Assert.Null(Jwt.Payload(client)["auth_time"]);
        Assert.Null((await Protocol.IntrospectAsync(Other, OtherSecret, client)).Json["auth_time"]);
    }

    private static async Task<Browser.Page> SignInAsync(Browser browser, Browser.Page signInPage)
    {
        Assert.StartsWith("/account/sign-in", signInPage.RequestPath);
        var signedIn = await browser.SubmitAsync(signInPage, signInPage.RequestPath,
            [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", signInPage.Field("returnUrl")!)]);
        return await browser.FollowAsync(signedIn);
    }

    [GeneratedRegex("<code id=\"new-token\">tsr_pat_")]
    private static partial Regex NewToken();
}

/// <summary>A People server whose recent-sign-in limits are 3 seconds.</summary>
public abstract class RecentSignInFixture(DatabaseKind kind) : IAsyncLifetime
{
    private TesseraServer? _server;

    public TesseraServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await TesseraServer.StartAsync(kind, PeopleImport.Create(), new Dictionary<string, string?>
    {
        ["Tessera:PersonalAccessTokens:MaxAuthAge"] = RecentSignInTests.MaxAge,
        ["Tessera:PersonalAccessTokens:PageMaxAuthAge"] = RecentSignInTests.MaxAge,
    });

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

public sealed class SqliteRecentSignInFixture() : RecentSignInFixture(DatabaseKind.Sqlite);

public sealed class PostgresRecentSignInFixture() : RecentSignInFixture(DatabaseKind.Postgres);

public sealed class RecentSignInTests_Sqlite(SqliteRecentSignInFixture f) : RecentSignInTests(f.Server), IClassFixture<SqliteRecentSignInFixture>;

public sealed class RecentSignInTests_Postgres(PostgresRecentSignInFixture f) : RecentSignInTests(f.Server), IClassFixture<PostgresRecentSignInFixture>;
