using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>Two nodes on one PostgreSQL database with the interactive clients: a session's cookie works at both nodes.</summary>
public sealed class TwoNodePeopleFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TesseraServer A { get; private set; } = null!;
    public TesseraServer B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var settings = new Dictionary<string, string?> { ["Tessera:Cache:RefreshInterval"] = "00:00:00.5", ["Tessera:Cache:RevocationPollInterval"] = "00:00:00.5" };
        A = await TesseraServer.StartAsync(_database, PeopleImport.Create(), settings);
        settings["Tessera:Issuer"] = A.Issuer;
        B = await TesseraServer.StartAsync(_database, PeopleImport.Create(), settings);
    }

    public async Task DisposeAsync()
    {
        if (B is not null) await B.DisposeAsync();
        if (A is not null) await A.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>Ending a session, or disabling a user, at one node reaches the other within its revocation poll, not never.</summary>
public sealed class MultiNodeSessionTests(TwoNodePeopleFixture nodes) : IClassFixture<TwoNodePeopleFixture>, IDisposable
{
    private static readonly TimeSpan PollLimit = TimeSpan.FromSeconds(20);
    private readonly HttpClient _httpA = nodes.A.CreateClient();
    private ProtocolClient A => new(_httpA);

    [Fact]
    public async Task A_session_signed_out_at_one_node_no_longer_obtains_codes_at_the_other()
    {
        var dan = await TestUser.CreateAsync(A);
        using var victim = new Browser(nodes.A);
        await dan.CodeAsync(victim, "openid");
        using var thiefAtB = new Browser(nodes.B, victim);
        // The copy works at B (which now has the session in its cache) before the sign-out…
        var before = await thiefAtB.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null));
        Assert.StartsWith(PeopleImport.WebRedirect + "?code=", before.Location);

        await victim.SubmitAsync(await victim.GetAsync("/account/sign-out"), "/account/sign-out", []);

        // …and not after B's next revocation poll (0.5 s here).
        Assert.True(await EventuallyAsync(async () =>
            (await thiefAtB.GetAsync(AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid", null))).Location?.StartsWith("/account/sign-in", StringComparison.Ordinal) == true));
        Assert.Contains("You are not signed in.", (await thiefAtB.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task A_user_disabled_at_one_node_has_inactive_tokens_and_no_session_at_the_other()
    {
        var dan = await TestUser.CreateAsync(A);
        using var browser = new Browser(nodes.B);
        var jwt = (await dan.WebTokensAsync(browser, new ProtocolClient(browser.Http), "message")).AccessToken;
        using var httpB = nodes.B.CreateClient();
        var b = new ProtocolClient(httpB);
        Assert.True((await b.IntrospectAsync(Other, OtherSecret, jwt)).Active);

        Assert.Equal(200, (await AdminApi.SendJsonAsync(A, HttpMethod.Post, $"/admin/users/{dan.Username}/disable")).Status);

        Assert.True(await EventuallyAsync(async () => !(await b.IntrospectAsync(Other, OtherSecret, jwt)).Active));
        Assert.Contains("You are not signed in.", (await browser.GetAsync("/account")).Html);
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + PollLimit;
        do
        {
            if (await condition()) return true;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        return false;
    }

    public void Dispose() => _httpA.Dispose();
}
