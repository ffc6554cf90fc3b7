using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Housekeeping;
using Tessera.Server.Storage;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Issue 14 items 6 and 10: failed sign-ins are throttled per username and per client IP (counted in the database),
/// instead of an Identity lockout an attacker could trigger; successes never count; every refusal says the same
/// whether or not the username exists. Each test starts a server with the limits it needs.
/// </summary>
public abstract partial class SignInThrottleTests(DatabaseKind kind)
{
    private const string Throttled = "Too many failed sign-ins. Try again later.";

    private Task<TesseraServer> StartAsync(int perUsername, string window = "00:15:00", int perIp = 0) =>
        TesseraServer.StartAsync(kind, PeopleImport.Create(), new Dictionary<string, string?>
        {
            ["Tessera:RateLimits:SignInFailuresPerUsername:PermitLimit"] = perUsername.ToString(),
            ["Tessera:RateLimits:SignInFailuresPerUsername:Window"] = window,
            ["Tessera:RateLimits:SignInFailuresPerIp:PermitLimit"] = perIp.ToString(),
        });

    [Fact]
    public async Task After_ten_failed_sign_ins_a_username_is_refused_with_429_and_Retry_After_while_other_usernames_still_sign_in()
    {
        // The defaults: 10 per username per 15 minutes.
        await using var server = await TesseraServer.StartAsync(kind, PeopleImport.Create());
        using var attacker = new Browser(server);
        for (var i = 0; i < 10; i++) Assert.Equal(400, (await SignInTests.SignInAsync(attacker, PeopleImport.Alice, "guess-" + i)).Status);

        var eleventh = await SignInTests.SignInAsync(attacker, PeopleImport.Alice, PeopleImport.AlicePassword);
        using var someoneElse = new Browser(server);
        var carol = await SignInTests.SignInAsync(someoneElse, PeopleImport.LockoutFive, PeopleImport.LockoutPassword);

        Assert.Equal(429, eleventh.Status);
        Assert.Contains(Throttled, eleventh.Html);
        Assert.InRange(RetryAfter(eleventh), 1, 15 * 60);
        Assert.Equal(302, carol.Status);
    }

    [Fact]
    public async Task A_throttled_username_answers_exactly_like_a_throttled_username_that_does_not_exist()
    {
        await using var server = await StartAsync(perUsername: 3);
        using var browser = new Browser(server);
        for (var i = 0; i < 3; i++)
        {
            await SignInTests.SignInAsync(browser, PeopleImport.Alice, "guess-" + i);
            await SignInTests.SignInAsync(browser, "nobody-by-this-name", "guess-" + i);
        }

        var existing = await SignInTests.SignInAsync(browser, PeopleImport.Alice, "guess-3");
        var unknown = await SignInTests.SignInAsync(browser, "nobody-by-this-name", "guess-3");

        Assert.Equal(429, existing.Status);
        Assert.Equal(unknown.Status, existing.Status);
        Assert.Equal(WithoutValues(unknown.Html), WithoutValues(existing.Html));
        Assert.Contains(Throttled, existing.Html);
        Assert.InRange(RetryAfter(unknown), 1, 15 * 60);
    }

    [Fact]
    public async Task An_attacker_cannot_lock_the_owner_out_beyond_the_window()
    {
        // A window long enough for the attacker's burst and the owner's first try on a busy test machine.
        await using var server = await StartAsync(perUsername: 3, window: "00:00:10");
        using var attacker = new Browser(server);
        var form = await attacker.GetAsync("/account/sign-in");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            attacker.SubmitAsync(form, "/account/sign-in", [("username", PeopleImport.Alice), ("password", "guess-" + i)])));
        using var owner = new Browser(server);
        Assert.Equal(429, (await SignInTests.SignInAsync(owner, PeopleImport.Alice, PeopleImport.AlicePassword)).Status);

        // Bounded: the window is ten seconds; the owner tries again for at most thirty.
        var signedIn = await SignInTests.SignInAsync(owner, PeopleImport.Alice, PeopleImport.AlicePassword);
        for (var i = 0; i < 60 && signedIn.Status == 429; i++)
        {
            await Task.Delay(500);
            signedIn = await SignInTests.SignInAsync(owner, PeopleImport.Alice, PeopleImport.AlicePassword);
        }

        Assert.Equal(302, signedIn.Status);
        Assert.DoesNotContain("not signed in", (await owner.GetAsync("/account")).Html);
    }

    [Fact]
    public async Task Successful_sign_ins_are_never_counted_however_many()
    {
        await using var server = await StartAsync(perUsername: 3, perIp: 3);
        using var browser = new Browser(server);

        for (var i = 0; i < 50; i++)
            Assert.Equal(302, (await SignInTests.SignInAsync(browser, PeopleImport.Alice, PeopleImport.AlicePassword)).Status);

        // The fifty successes used none of the three failures.
        for (var i = 0; i < 3; i++) Assert.Equal(400, (await SignInTests.SignInAsync(browser, PeopleImport.Alice, "guess-" + i)).Status);
        Assert.Equal(429, (await SignInTests.SignInAsync(browser, PeopleImport.Alice, PeopleImport.AlicePassword)).Status);
    }

    [Fact]
    public async Task Failed_sign_ins_from_one_address_are_limited_across_usernames()
    {
        // Password spraying: one guess per username, many usernames, one address (the test host's 127.0.0.1).
        await using var server = await StartAsync(perUsername: 0, perIp: 5);
        using var sprayer = new Browser(server);
        for (var i = 0; i < 5; i++) Assert.Equal(400, (await SignInTests.SignInAsync(sprayer, "user-" + i, "Summer2026!")).Status);

        var sixth = await SignInTests.SignInAsync(sprayer, PeopleImport.Alice, "Summer2026!");

        Assert.Equal(429, sixth.Status);
        Assert.Contains(Throttled, sixth.Html);
        Assert.InRange(RetryAfter(sixth), 1, 15 * 60);
    }

    [Fact]
    public async Task Wrong_passwords_sent_all_at_once_get_no_more_than_the_limit_through()
    {
        await using var server = await StartAsync(perUsername: 3);
        using var browser = new Browser(server);
        var form = await browser.GetAsync("/account/sign-in");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            browser.SubmitAsync(form, "/account/sign-in", [("username", PeopleImport.Alice), ("password", "guess-" + i)])));

        Assert.Equal(3, answers.Count(a => a.Status == 400));
        Assert.Equal(17, answers.Count(a => a.Status == 429));
    }

    [Fact]
    public async Task Guess_counters_hold_no_username_and_housekeeping_deletes_them_after_their_window()
    {
        await using var server = await StartAsync(perUsername: 3, window: "00:00:01");
        using var browser = new Browser(server);
        Assert.Equal(400, (await SignInTests.SignInAsync(browser, PeopleImport.Alice, "guess-0")).Status);
        Assert.Equal(1, await CountersAsync(server));
        Assert.Equal(0, await CountersAsync(server, key => key.Contains(PeopleImport.Alice, StringComparison.OrdinalIgnoreCase)));

        // Bounded: the one-second window has ended within three.
        var deleted = 0;
        for (var i = 0; i < 15 && deleted == 0; i++)
        {
            await Task.Delay(200);
            deleted = await server.GetService<HousekeepingService>().DeleteExpiredAsync(CancellationToken.None);
        }

        Assert.Equal(0, await CountersAsync(server));
    }

    private static async Task<int> CountersAsync(TesseraServer server, Func<string, bool>? keyMatches = null)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var keys = await scope.ServiceProvider.GetRequiredService<TesseraDbContext>().GuessCounters.Select(c => c.Key).ToListAsync();
        return keys.Count(keyMatches ?? (_ => true));
    }

    internal static int RetryAfter(Browser.Page page) =>
        (int)(page.Response.Headers.RetryAfter?.Delta?.TotalSeconds ?? throw new InvalidOperationException("no Retry-After"));

    /// <summary>The page without its attribute values (the anti-forgery token and the echoed username differ).</summary>
    private static string WithoutValues(string html) => AttributeValue().Replace(html, "value=\"\"");

    [GeneratedRegex("value=\"[^\"]*\"")]
    private static partial Regex AttributeValue();
}

public sealed class SignInThrottleTests_Sqlite() : SignInThrottleTests(DatabaseKind.Sqlite);

public sealed class SignInThrottleTests_Postgres() : SignInThrottleTests(DatabaseKind.Postgres);
