using Tessera.Server.Tests.Infrastructure;
using Tessera.Server.Tests.Security;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.DeviceFlow;

namespace Tessera.Server.Tests.Operations;

/// <summary>Two nodes on one PostgreSQL database with the people import, for the shared guess counters.</summary>
public sealed class TwoPeopleNodeFixture : IAsyncLifetime
{
    public const int FailuresPerUsername = 4;
    private TestDatabase? _database;

    public TesseraServer A { get; private set; } = null!;
    public TesseraServer B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var settings = new Dictionary<string, string?>
        {
            ["Tessera:RateLimits:SignInFailuresPerUsername:PermitLimit"] = FailuresPerUsername.ToString(),
        };
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

/// <summary>
/// Issue 14 item 6: several nodes behind one balancer must not multiply an attacker's guesses — failed passwords per
/// username and wrong device user codes per user are counted in the shared database.
/// </summary>
public sealed class MultiNodeGuessLimitTests(TwoPeopleNodeFixture nodes) : IClassFixture<TwoPeopleNodeFixture>
{
    [Fact]
    public async Task Failed_sign_ins_split_across_two_nodes_are_limited_in_total()
    {
        using var atA = new Browser(nodes.A);
        using var atB = new Browser(nodes.B);
        for (var i = 0; i < TwoPeopleNodeFixture.FailuresPerUsername; i++)
            Assert.Equal(400, (await SignInTests.SignInAsync(i % 2 == 0 ? atA : atB, PeopleImport.LockoutFive, "guess-" + i)).Status);

        Assert.Equal(429, (await SignInTests.SignInAsync(atA, PeopleImport.LockoutFive, "guess-a")).Status);
        Assert.Equal(429, (await SignInTests.SignInAsync(atB, PeopleImport.LockoutFive, PeopleImport.LockoutPassword)).Status);
    }

    [Fact]
    public async Task Wrong_passwords_sent_at_once_to_two_nodes_get_no_more_than_the_limit_through()
    {
        using var atA = new Browser(nodes.A);
        using var atB = new Browser(nodes.B);
        var formA = await atA.GetAsync("/account/sign-in");
        var formB = await atB.GetAsync("/account/sign-in");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? atA.SubmitAsync(formA, "/account/sign-in", [("username", PeopleImport.LockoutTen), ("password", "guess-" + i)])
            : atB.SubmitAsync(formB, "/account/sign-in", [("username", PeopleImport.LockoutTen), ("password", "guess-" + i)])));

        Assert.Equal(TwoPeopleNodeFixture.FailuresPerUsername, answers.Count(a => a.Status == 400));
        Assert.Equal(20 - TwoPeopleNodeFixture.FailuresPerUsername, answers.Count(a => a.Status == 429));
    }

    [Fact]
    public async Task Wrong_device_codes_split_across_two_nodes_are_limited_to_five_in_total()
    {
        using var http = nodes.A.CreateClient();
        var device = await AuthorizeAsync(new ProtocolClient(http), "openid");
        using var atA = new Browser(nodes.A);
        using var atB = new Browser(nodes.B);
        var pageA = await OpenAsync(atA, username: PeopleImport.Guesser, password: PeopleImport.LockoutPassword);
        var pageB = await OpenAsync(atB, username: PeopleImport.Guesser, password: PeopleImport.LockoutPassword);
        for (var i = 0; i < 5; i++)
        {
            var wrong = i % 2 == 0 ? await EnterAsync(atA, pageA, "BCDF-GHJ" + "KLMNP"[i]) : await EnterAsync(atB, pageB, "BCDF-GHJ" + "KLMNP"[i]);
            Assert.Equal(400, wrong.Status);
        }

        var rightAtA = await EnterAsync(atA, pageA, UserCode(device));
        var rightAtB = await EnterAsync(atB, pageB, UserCode(device));

        Assert.Equal(429, rightAtA.Status);
        Assert.Equal(429, rightAtB.Status);
        Assert.Contains("Too many wrong codes", rightAtB.Html);
    }
}
