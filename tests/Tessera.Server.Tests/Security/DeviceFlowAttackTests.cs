using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.DeviceFlow;

namespace Tessera.Server.Tests.Security;

/// <summary>RFC 8628 §5: a device that polls too fast, a device code used twice or by another client, guessed user codes.</summary>
public abstract class DeviceFlowAttackTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task Polling_faster_than_the_interval_is_answered_slow_down_and_the_interval_grows_by_five_seconds()
    {
        var device = await AuthorizeAsync(Protocol, "openid");
        Assert.Equal("authorization_pending", (await PollAsync(Protocol, DeviceCode(device))).Error);

        var fast = await PollAsync(Protocol, DeviceCode(device));
        var faster = await PollAsync(Protocol, DeviceCode(device));

        Assert.Equal("slow_down", fast.Error);
        Assert.Equal("polling too fast: wait 10 seconds between requests", fast.ErrorDescription);
        Assert.Equal("slow_down", faster.Error);
        Assert.Equal("polling too fast: wait 15 seconds between requests", faster.ErrorDescription);
    }

    [Fact]
    public async Task An_approved_device_code_gives_tokens_only_once()
    {
        var device = await AuthorizeAsync(Protocol, "openid message");
        await UserDecidesAsync(Server, UserCode(device), "allow");
        Assert.Equal(200, (await PollAsync(Protocol, DeviceCode(device))).Status);

        var again = await PollAsync(Protocol, DeviceCode(device));

        Assert.Equal(400, again.Status);
        Assert.Equal("invalid_grant", again.Error);
        Assert.Equal("the device code was already used", again.ErrorDescription);
    }

    [Fact]
    public async Task A_device_code_cannot_be_redeemed_by_another_client()
    {
        var device = await AuthorizeAsync(Protocol, "openid");
        await UserDecidesAsync(Server, UserCode(device), "allow");

        var stolen = await PollAsync(Protocol, DeviceCode(device), PeopleImport.Tv);

        Assert.Equal("invalid_grant", stolen.Error);
        Assert.Equal(200, (await PollAsync(Protocol, DeviceCode(device))).Status);
    }

    [Fact]
    public async Task Guessing_user_codes_is_stopped_after_five_wrong_ones_even_when_the_next_guess_is_right()
    {
        var device = await AuthorizeAsync(Protocol, "openid");
        using var browser = new Browser(Server);
        var page = await OpenAsync(browser, username: PeopleImport.Guesser, password: PeopleImport.LockoutPassword);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await EnterAsync(browser, page, "BCDF-GHJ" + "KLMNP"[i]);
            Assert.Equal(400, wrong.Status);
        }

        var right = await EnterAsync(browser, page, UserCode(device));

        Assert.Equal(429, right.Status);
        Assert.Contains("Too many wrong codes", right.Html);
        Assert.Equal("authorization_pending", (await PollAsync(Protocol, DeviceCode(device))).Error);
    }

    [Fact]
    public async Task Wrong_user_codes_sent_all_at_once_still_get_five_guesses_in_all()
    {
        // The attack: twenty guesses posted in parallel, each passing a "blocked yet?" check before any failure counts.
        using var browser = new Browser(Server);
        var page = await OpenAsync(browser, username: PeopleImport.ParallelGuesser, password: PeopleImport.LockoutPassword);

        const string letters = "BCDFGHJKLMNPQRSTVWXZ";
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => EnterAsync(browser, page, $"BCDF-GH{letters[i]}{letters[19 - i]}")));

        Assert.Equal(5, answers.Count(a => a.Status == 400));
        Assert.Equal(15, answers.Count(a => a.Status == 429));
    }

    [Fact]
    public async Task The_device_page_refuses_a_decision_posted_without_the_anti_forgery_token()
    {
        var device = await AuthorizeAsync(Protocol, "openid");
        using var browser = new Browser(Server);
        var page = await OpenAsync(browser);

        var forged = await browser.SubmitAsync(page, "/device", [("user_code", UserCode(device)), ("decision", "allow")], withAntiforgery: false);

        Assert.Equal(400, forged.Status);
        Assert.Equal("authorization_pending", (await PollAsync(Protocol, DeviceCode(device))).Error);
    }

    [Fact]
    public async Task The_device_page_asks_for_sign_in_before_anything_else()
    {
        using var browser = new Browser(Server);

        var page = await browser.GetAsync("/device");

        Assert.Equal(302, page.Status);
        Assert.StartsWith("/account/sign-in?returnUrl=%2Fdevice", page.Location);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class DeviceFlowAttackTests_Sqlite(SqlitePeopleFixture f) : DeviceFlowAttackTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class DeviceFlowAttackTests_Postgres(PostgresPeopleFixture f) : DeviceFlowAttackTests(f.Server);
