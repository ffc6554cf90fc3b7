using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>RFC 9700 §4.14.2: a stolen refresh token. Reuse revokes the family; another client cannot use it.</summary>
public abstract class RefreshTokenReplayTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task A_replayed_refresh_token_revokes_the_family_so_the_newest_refresh_token_stops_working_too()
    {
        var tokens = await WebTokensAsync(Server, Protocol, "openid offline_access ledger");
        var first = RefreshTokenOf(tokens);
        var second = await RefreshAsync(Protocol, first);
        var third = await RefreshAsync(Protocol, RefreshTokenOf(second));
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, third.AccessToken)).Active);

        var replay = await RefreshAsync(Protocol, first);

        Assert.Equal(400, replay.Status);
        Assert.Equal("invalid_grant", replay.Error);
        Assert.Equal("the refresh token was already used; its grant is revoked", replay.ErrorDescription);
        Assert.Equal("invalid_grant", (await RefreshAsync(Protocol, RefreshTokenOf(third))).Error);
        foreach (var access in new[] { tokens.AccessToken, second.AccessToken, third.AccessToken })
            Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, access)).Active);
    }

    [Fact]
    public async Task A_replayed_refresh_token_revokes_jwt_access_tokens_of_the_family_through_the_deny_list()
    {
        var tokens = await WebTokensAsync(Server, Protocol, "openid offline_access message");
        var first = RefreshTokenOf(tokens);
        var second = await RefreshAsync(Protocol, first);

        await RefreshAsync(Protocol, first);

        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, second.AccessToken)).Active);
    }

    [Fact]
    public async Task A_refresh_token_presented_by_another_client_is_refused()
    {
        var refreshToken = RefreshTokenOf(await WebTokensAsync(Server, Protocol));

        var stolen = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "refresh_token"), ("client_id", PeopleImport.Spa), ("refresh_token", refreshToken));

        Assert.Equal(400, stolen.Status);
        Assert.Equal("invalid_grant", stolen.Error);
        Assert.Equal("the refresh token was issued to another client", stolen.ErrorDescription);
        Assert.Equal(200, (await RefreshAsync(Protocol, refreshToken)).Status);
    }

    [Fact]
    public async Task A_client_not_allowed_the_refresh_token_grant_cannot_refresh()
    {
        var refreshToken = RefreshTokenOf(await WebTokensAsync(Server, Protocol));

        var response = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "refresh_token"), ("client_id", PeopleImport.FirstParty), ("refresh_token", refreshToken));

        Assert.Equal("unauthorized_client", response.Error);
    }

    [Fact]
    public async Task A_replayed_authorization_code_also_revokes_the_refresh_token_it_issued()
    {
        using var browser = new Browser(Server);
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid offline_access message", null)))["code"];
        (string, string)[] redeem = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect)];
        var tokens = await Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret, redeem);

        Assert.Equal("invalid_grant", (await Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret, redeem)).Error);

        Assert.Equal("invalid_grant", (await RefreshAsync(Protocol, RefreshTokenOf(tokens))).Error);
    }

    [Fact]
    public async Task Two_redemptions_of_one_code_at_once_leave_no_working_token()
    {
        // The race: the replay arrives while the first redemption is still issuing (nothing recorded to revoke yet).
        // Whichever way each round interleaves, what the code issued must end up revoked.
        for (var round = 0; round < 8; round++)
        {
            using var browser = new Browser(Server);
            var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid offline_access ledger", null)))["code"];
            (string, string)[] redeem = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect)];

            var both = await Task.WhenAll(
                Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret, redeem),
                Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret, redeem));

            Assert.All(both, r => Assert.True(r.Status is 200 or 400, $"round {round}: {r.Status}"));
            Assert.Contains(both, r => r.Error == "invalid_grant");
            foreach (var issued in both.Where(r => r.Status == 200))
            {
                Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, issued.AccessToken)).Active, $"round {round}: the access token survived");
                Assert.Equal("invalid_grant", (await RefreshAsync(Protocol, RefreshTokenOf(issued))).Error);
            }
        }
    }

    [Fact]
    public async Task With_a_grace_window_a_second_use_of_the_same_token_soon_after_rotation_still_works()
    {
        // Tessera:RefreshTokens:ReuseGraceSeconds: for clients that refresh twice at once; off by default.
        await using var graceful = await TesseraServer.StartAsync(Server.Provider == "postgres" ? DatabaseKind.Postgres : DatabaseKind.Sqlite,
            PeopleImport.Create(), new Dictionary<string, string?> { ["Tessera:RefreshTokens:ReuseGraceSeconds"] = "60" });
        using var http = graceful.CreateClient();
        var protocol = new ProtocolClient(http);
        var refreshToken = RefreshTokenOf(await WebTokensAsync(graceful, protocol));

        var first = await RefreshAsync(protocol, refreshToken);
        var second = await RefreshAsync(protocol, refreshToken);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(200, (await RefreshAsync(protocol, RefreshTokenOf(first))).Status);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class RefreshTokenReplayTests_Sqlite(SqlitePeopleFixture f) : RefreshTokenReplayTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class RefreshTokenReplayTests_Postgres(PostgresPeopleFixture f) : RefreshTokenReplayTests(f.Server);

[Collection(PgBouncerPeopleCollection.Name)]
public sealed class RefreshTokenReplayTests_PgBouncer(PgBouncerPeopleFixture f) : RefreshTokenReplayTests(f.Server);
