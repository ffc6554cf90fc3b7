using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Server.Users;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// The passkey rules that need no authenticator (issue 17; the ceremonies themselves run in Chromium, in
/// Tessera.Browser.Tests/PasskeysInChromiumTests): a ceremony is finished once on any node, only for its kind and user
/// and before it expires; a passkey makes the password alone insufficient and satisfies a step-up; garbage answers are
/// refused without a server error; beginning ceremonies is limited per address; an administrator's reset removes them.
/// </summary>
public abstract class PasskeyRulesTests(DatabaseKind kind)
{
    private const string Alice = PeopleImport.Alice;

    /// <summary>A passkey row as Identity stores one (the key itself never matters here: no ceremony reaches it).</summary>
    private static async Task AddStoredPasskeyAsync(TesseraServer server, string username)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TesseraUser>>();
        var user = (await users.FindByNameAsync(username))!;
        var passkey = new UserPasskeyInfo(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(77), DateTimeOffset.UtcNow, 0,
            ["internal"], isUserVerified: true, isBackupEligible: false, isBackedUp: false, attestationObject: [], clientDataJson: [])
        { Name = "Stored" };
        Assert.True((await users.AddOrUpdatePasskeyAsync(user, passkey)).Succeeded);
    }

    private static async Task<int> PasskeyCountAsync(TesseraServer server, string username)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TesseraUser>>();
        return (await users.GetPasskeysAsync((await users.FindByNameAsync(username))!)).Count;
    }

    [Fact]
    public async Task A_ceremony_is_finished_once_on_any_node_and_only_for_its_kind_user_and_time()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = await TesseraServer.StartAsync(database, PeopleImport.Create());
        await using var b = await TesseraServer.StartAsync(database, PeopleImport.Create(), new Dictionary<string, string?> { ["Tessera:Issuer"] = a.Issuer });
        var onA = a.GetService<PasskeyCeremonies>();
        var onB = b.GetService<PasskeyCeremonies>();

        var handle = await onA.BeginAsync(PasskeyCeremonyKinds.SecondFactor, "user-1", "{\"state\":1}", CancellationToken.None);
        Assert.Null(await onB.FinishAsync(handle, PasskeyCeremonyKinds.SignIn, "user-1"));
        Assert.Null(await onB.FinishAsync(handle, PasskeyCeremonyKinds.SecondFactor, "user-2"));
        Assert.Null(await onB.FinishAsync(handle + "x", PasskeyCeremonyKinds.SecondFactor, "user-1"));
        Assert.Equal("{\"state\":1}", await onB.FinishAsync(handle, PasskeyCeremonyKinds.SecondFactor, "user-1"));
        Assert.Null(await onA.FinishAsync(handle, PasskeyCeremonyKinds.SecondFactor, "user-1"));

        // Two nodes finishing the same ceremony at once: one gets the state.
        var raced = await onA.BeginAsync(PasskeyCeremonyKinds.SignIn, null, "{\"state\":2}", CancellationToken.None);
        var finishes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? onA : onB).FinishAsync(raced, PasskeyCeremonyKinds.SignIn, null)));
        Assert.Single(finishes, state => state is not null);
    }

    [Fact]
    public async Task An_expired_ceremony_cannot_be_finished()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        var handle = await server.GetService<PasskeyCeremonies>().BeginAsync(PasskeyCeremonyKinds.SignIn, null, "{}", CancellationToken.None);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Storage.TesseraDbContext>();
            foreach (var row in db.PasskeyCeremonies) row.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds();
            await db.SaveChangesAsync();
        }

        Assert.Null(await server.GetService<PasskeyCeremonies>().FinishAsync(handle, PasskeyCeremonyKinds.SignIn, null));
    }

    [Fact]
    public async Task With_a_passkey_the_password_alone_opens_no_session_and_a_step_up_goes_to_the_passkey()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        await AddStoredPasskeyAsync(server, Alice);
        using var browser = new Browser(server);

        var signIn = await browser.FollowAsync(await browser.GetAsync("/account/security"));
        var afterPassword = await browser.FollowAsync(await browser.SubmitAsync(signIn, signIn.RequestPath,
            [("username", Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", signIn.Field("returnUrl")!)]));

        Assert.StartsWith("/account/sign-in/two-factor", afterPassword.RequestPath, StringComparison.Ordinal);
        Assert.Contains("Use a passkey", afterPassword.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"code\"", afterPassword.Html, StringComparison.Ordinal);
        Assert.Equal(302, (await browser.GetAsync("/account/security")).Status);
        // A code post where there is no authenticator app opens nothing either.
        var code = await browser.SubmitAsync(afterPassword, afterPassword.RequestPath, [("code", "123456"), ("returnUrl", "/account/security")]);
        Assert.Equal(400, code.Status);
        Assert.Equal(302, (await browser.GetAsync("/account/security")).Status);
    }

    [Fact]
    public async Task Answers_that_are_not_webauthn_are_refused_without_a_server_error()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        using var browser = new Browser(server);
        var page = await browser.GetAsync("/account/sign-in");

        foreach (var credential in new[] { "", "not json", "{}", "{\"id\":\"AAAA\",\"type\":\"public-key\",\"response\":{}}", new string('[', 5000) })
        {
            var options = await browser.SubmitAsync(page, "/account/sign-in?handler=passkeyoptions", []);
            Assert.Equal(200, options.Status);
            Assert.Equal("application/json", options.Response.Content.Headers.ContentType?.MediaType);
            var answer = await browser.SubmitAsync(page, "/account/sign-in?handler=passkey", [("credential", credential), ("returnUrl", "")]);
            Assert.Equal(400, answer.Status);
            Assert.Contains("The passkey did not sign you in.", answer.Html, StringComparison.Ordinal);
        }
        Assert.Equal(302, (await browser.GetAsync("/account/security")).Status);
    }

    [Fact]
    public async Task Beginning_ceremonies_is_limited_per_address_and_the_other_posts_of_the_page_are_not_counted()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create(),
            new Dictionary<string, string?> { ["Tessera:RateLimits:PasskeyCeremoniesPerIp:PermitLimit"] = "2" });
        using var browser = new Browser(server);
        var page = await browser.GetAsync("/account/sign-in");

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++) statuses.Add((await browser.SubmitAsync(page, "/account/sign-in?handler=passkeyoptions", [])).Status);
        var password = await browser.SubmitAsync(page, "/account/sign-in",
            [("username", Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", "/account")]);

        Assert.Equal([200, 200, 429], statuses);
        Assert.Equal(302, password.Status);
    }

    [Fact]
    public async Task A_passkey_ceremony_cannot_begin_on_the_security_or_code_page_without_the_user()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        using var browser = new Browser(server);
        var page = await browser.GetAsync("/account/sign-in");

        var security = await browser.SubmitAsync(page, "/account/security?handler=passkeyoptions", []);
        var code = await browser.SubmitAsync(page, "/account/sign-in/two-factor?handler=passkeyoptions", []);
        var withoutAntiforgery = await browser.SubmitAsync(page, "/account/sign-in?handler=passkeyoptions", [], withAntiforgery: false);

        Assert.Equal(302, security.Status);
        Assert.StartsWith("/account/sign-in", new Uri(server.BaseAddress, security.Location).AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(302, code.Status);
        Assert.Equal(400, withoutAntiforgery.Status);
    }

    [Fact]
    public async Task An_administrators_second_factor_reset_removes_the_users_passkeys()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        await AddStoredPasskeyAsync(server, Alice);
        await AddStoredPasskeyAsync(server, Alice);
        Assert.Equal(2, await PasskeyCountAsync(server, Alice));

        var reset = await AdminApi.SendJsonAsync(new ProtocolClient(server.CreateClient()), HttpMethod.Post, $"/admin/users/{Alice}/reset-mfa");

        Assert.Equal(200, reset.Status);
        Assert.Equal(0, await PasskeyCountAsync(server, Alice));
        // Nothing left to ask after the password: it signs in straight to where it was going.
        using var browser = new Browser(server);
        var signIn = await browser.GetAsync("/account/sign-in");
        var signedIn = await browser.SubmitAsync(signIn, "/account/sign-in",
            [("username", Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", "/account")]);
        Assert.Equal("/account", signedIn.Location);
    }

    [Fact]
    public async Task The_pages_allow_only_their_own_script_which_is_served_as_javascript()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        using var http = server.CreateClient();

        var page = await http.GetAsync("/account/sign-in");
        var script = await http.GetAsync("/js/passkeys.js");

        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("/js/passkeys.js\" defer", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", script.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("navigator.credentials", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class PasskeyRulesTests_Sqlite() : PasskeyRulesTests(DatabaseKind.Sqlite);

public sealed class PasskeyRulesTests_Postgres() : PasskeyRulesTests(DatabaseKind.Postgres);
