using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Account mail through a real SMTP server on 127.0.0.1 (issue 17): "forgot password" with no account enumeration, the
/// one-use reset link, e-mail verification and the self-service e-mail change. Every way a link could be misused — reused,
/// expired, for another user, for another address, with a forged Host — is tried and refused.
/// </summary>
public abstract class AccountMailTests(DatabaseKind kind)
{
    private const string Alice = PeopleImport.Alice;
    private const string AlicePassword = PeopleImport.AlicePassword;
    private const string AliceEmail = "alice@example.com";
    private const string NewPassword = "Alice-new-pass-2";
    private const string InvalidLink = "This link is not valid any more";

    /// <summary>A server that mails to its own SMTP inbox, on a database of its own; disposed together.</summary>
    private sealed record MailingServer(TestDatabase Database, TesseraServer Server, SmtpInbox Inbox) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await Database.DisposeAsync();
            Inbox.Dispose();
        }
    }

    private async Task<MailingServer> StartAsync(Dictionary<string, string?>? more = null)
    {
        var inbox = SmtpInbox.Start();
        var settings = inbox.Settings();
        foreach (var (key, value) in more ?? []) settings[key] = value;
        var database = await TestDatabase.CreateAsync(kind);
        return new MailingServer(database, await TesseraServer.StartAsync(database, PeopleImport.Create(), settings), inbox);
    }

    private static async Task<Browser.Page> AskForResetAsync(Browser browser, string email)
    {
        var form = await browser.GetAsync("/account/forgot-password");
        return await browser.SubmitAsync(form, "/account/forgot-password", [("email", email)]);
    }

    private static async Task<string> UserIdAsync(TesseraServer server, string username)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<TesseraUser>>().FindByNameAsync(username))!.Id;
    }

    private static async Task<TesseraUser> UserAsync(TesseraServer server, string username)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<TesseraUser>>().FindByNameAsync(username))!;
    }

    /// <summary>Alice signs in at the web client on <paramref name="browser"/> (keeping the session); the token response.</summary>
    private static async Task<ProtocolResponse> TokensAsync(Browser browser, ProtocolClient protocol, string scope)
    {
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, scope, null)))["code"];
        return await protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));
    }

    private static async Task<bool> EndsWithinAsync(Browser browser, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        do
        {
            if ((await browser.GetAsync("/account/security")).Status == 302) return true;
            await Task.Delay(200);
        } while (DateTime.UtcNow < until);
        return false;
    }

    private static string PathOf(Uri link) => link.PathAndQuery;

    private static async Task<Browser.Page> SetPasswordAsync(Browser browser, Uri link, string password)
    {
        var form = await browser.GetAsync(PathOf(link));
        return await browser.SubmitAsync(form, "/account/reset-password",
            [("user", form.Field("user") ?? ""), ("code", form.Field("code") ?? ""), ("newPassword", password)]);
    }

    private static async Task<int> PasswordSignInStatusAsync(TesseraServer server, string password)
    {
        using var browser = new Browser(server);
        var page = await browser.GetAsync("/account/sign-in");
        return (await browser.SubmitAsync(page, "/account/sign-in", [("username", Alice), ("password", password), ("returnUrl", "/account")])).Status;
    }

    [Fact]
    public async Task Forgot_password_answers_alike_for_a_known_and_an_unknown_address_and_mails_only_the_owner()
    {
        await using var mailing = await StartAsync();
        var (server, inbox) = (mailing.Server, mailing.Inbox);
        using var browser = new Browser(server);

        var unknown = await AskForResetAsync(browser, "nobody@example.com");
        var known = await AskForResetAsync(browser, AliceEmail.ToUpperInvariant());
        var message = await inbox.WaitForAsync(AliceEmail);

        Assert.Equal(200, unknown.Status);
        Assert.Equal(unknown.Status, known.Status);
        Assert.Equal(Notice(unknown), Notice(known));
        Assert.Empty(inbox.To("nobody@example.com"));
        Assert.Equal("Reset your password", message.Subject);
        Assert.StartsWith(server.Issuer + "/account/reset-password?user=", SmtpInbox.LinkIn(message, server.Issuer).ToString(), StringComparison.Ordinal);

        static string Notice(Browser.Page page) => System.Text.RegularExpressions.Regex.Match(page.Html, "<p role=\"status\" id=\"notice\">([^<]+)</p>").Groups[1].Value;
    }

    [Fact]
    public async Task The_mailed_link_sets_a_new_password_once_on_any_node_and_ends_every_session_and_token()
    {
        await using var mailing = await StartAsync();
        var (a, inbox, database) = (mailing.Server, mailing.Inbox, mailing.Database);
        var settings = inbox.Settings();
        settings["Tessera:Issuer"] = a.Issuer;
        await using var b = await TesseraServer.StartAsync(database, PeopleImport.Create(), settings);
        var protocol = new ProtocolClient(a.CreateClient());
        using var laptop = new Browser(a);
        var refreshToken = RefreshTokenOf(await TokensAsync(laptop, protocol, "openid offline_access"));

        using var browser = new Browser(a);
        await AskForResetAsync(browser, AliceEmail);
        var link = SmtpInbox.LinkIn(await inbox.WaitForAsync(AliceEmail), a.Issuer);
        // Opened on the other node: the link is sealed with the key ring both nodes share.
        using var elsewhere = new Browser(b);
        var reset = await SetPasswordAsync(elsewhere, link, NewPassword);
        var again = await elsewhere.GetAsync(PathOf(link));

        Assert.Equal(200, reset.Status);
        Assert.Contains("Your password is changed.", reset.Html, StringComparison.Ordinal);
        Assert.Equal(400, again.Status);
        Assert.Contains(InvalidLink, again.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"newPassword\"", again.Html, StringComparison.Ordinal);
        Assert.Equal("invalid_grant", (await RefreshAsync(protocol, refreshToken)).Error);
        // The session on the first node ends there at its next revocation poll.
        Assert.True(await EndsWithinAsync(laptop, TimeSpan.FromSeconds(10)), "the laptop's session outlived the reset");
        Assert.NotEqual(302, await PasswordSignInStatusAsync(a, AlicePassword));
        Assert.Equal(302, await PasswordSignInStatusAsync(a, NewPassword));
    }

    [Fact]
    public async Task A_link_posted_twice_at_once_sets_one_password()
    {
        await using var mailing = await StartAsync();
        var (server, inbox) = (mailing.Server, mailing.Inbox);
        using var browser = new Browser(server);
        await AskForResetAsync(browser, AliceEmail);
        var link = SmtpInbox.LinkIn(await inbox.WaitForAsync(AliceEmail), server.Issuer);
        var form = await browser.GetAsync(PathOf(link));

        var answers = await Task.WhenAll(new[] { "Alice-first-pass-3", "Alice-second-pass-4" }.Select(async password =>
        {
            using var racer = new Browser(server);
            var page = await racer.GetAsync(PathOf(link));
            return (password, (await racer.SubmitAsync(page, "/account/reset-password",
                [("user", form.Field("user")!), ("code", form.Field("code")!), ("newPassword", password)])).Status);
        }));

        var winners = answers.Where(a => a.Status == 200).ToList();
        Assert.True(winners.Count <= 1, $"{winners.Count} posts of one link set a password");
        // 302: the password signs in; a refused sign-in stays on the page.
        foreach (var (password, status) in answers)
            Assert.Equal(status == 200, await PasswordSignInStatusAsync(server, password) == 302);
    }

    [Fact]
    public async Task A_link_does_not_reset_another_user_and_a_changed_code_resets_nobody()
    {
        await using var mailing = await StartAsync();
        var (server, inbox) = (mailing.Server, mailing.Inbox);
        using var browser = new Browser(server);
        await AskForResetAsync(browser, AliceEmail);
        var link = SmtpInbox.LinkIn(await inbox.WaitForAsync(AliceEmail), server.Issuer);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(link.Query);
        var code = query["code"].ToString();
        var dave = await UserIdAsync(server, PeopleImport.LockoutTen);

        var otherUser = await browser.GetAsync($"/account/reset-password?user={dave}&code={Uri.EscapeDataString(code)}");
        var form = await browser.GetAsync(PathOf(link));
        var otherUserPost = await browser.SubmitAsync(form, "/account/reset-password", [("user", dave), ("code", code), ("newPassword", NewPassword)]);
        var changedCode = await browser.SubmitAsync(form, "/account/reset-password",
            [("user", query["user"].ToString()), ("code", code[..^4] + (code.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA")), ("newPassword", NewPassword)]);

        Assert.Equal(400, otherUser.Status);
        Assert.Equal(400, otherUserPost.Status);
        Assert.Equal(400, changedCode.Status);
        Assert.Contains(InvalidLink, changedCode.Html, StringComparison.Ordinal);
        using var daveBrowser = new Browser(server);
        var signIn = await daveBrowser.GetAsync("/account/sign-in");
        Assert.Equal(302, (await daveBrowser.SubmitAsync(signIn, "/account/sign-in",
            [("username", PeopleImport.LockoutTen), ("password", PeopleImport.LockoutPassword), ("returnUrl", "/account")])).Status);
        Assert.Equal(302, await PasswordSignInStatusAsync(server, AlicePassword));
    }

    [Fact]
    public async Task An_expired_link_is_refused()
    {
        var (database, server, inbox) = await StartAsync(new() { ["Tessera:Email:LinkLifetime"] = "00:00:02" });
        await using var _ = database;
        await using var __ = server;
        using var ___ = inbox;
        using var browser = new Browser(server);
        await AskForResetAsync(browser, AliceEmail);
        var link = SmtpInbox.LinkIn(await inbox.WaitForAsync(AliceEmail), server.Issuer);
        var form = await browser.GetAsync(PathOf(link));
        Assert.Equal(200, form.Status);

        await Task.Delay(TimeSpan.FromSeconds(3));
        var expired = await browser.SubmitAsync(form, "/account/reset-password",
            [("user", form.Field("user")!), ("code", form.Field("code")!), ("newPassword", NewPassword)]);

        Assert.Equal(400, expired.Status);
        Assert.Contains(InvalidLink, expired.Html, StringComparison.Ordinal);
        Assert.Equal(302, await PasswordSignInStatusAsync(server, AlicePassword));
    }

    [Fact]
    public async Task A_forged_host_header_does_not_change_where_the_link_points()
    {
        await using var mailing = await StartAsync();
        var (server, inbox) = (mailing.Server, mailing.Inbox);
        using var browser = new Browser(server);
        var form = await browser.GetAsync("/account/forgot-password");
        browser.Http.DefaultRequestHeaders.Host = "evil.example";

        await browser.SubmitAsync(form, "/account/forgot-password", [("email", AliceEmail)]);
        var message = await inbox.WaitForAsync(AliceEmail);

        Assert.DoesNotContain("evil.example", message.TextBody, StringComparison.Ordinal);
        Assert.StartsWith(server.Issuer + "/", SmtpInbox.LinkIn(message, "http").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reset_password_signs_nobody_in_and_the_second_factor_is_still_asked()
    {
        await using var mailing = await StartAsync();
        var (server, inbox) = (mailing.Server, mailing.Inbox);
        await SecondFactor.EnableAsync(server, Alice, AlicePassword);
        using var browser = new Browser(server);
        await AskForResetAsync(browser, AliceEmail);
        var reset = await SetPasswordAsync(browser, SmtpInbox.LinkIn(await inbox.WaitForAsync(AliceEmail), server.Issuer), NewPassword);
        Assert.Equal(200, reset.Status);

        var security = await browser.GetAsync("/account/security");
        var signIn = await browser.FollowAsync(security);
        var afterPassword = await browser.FollowAsync(await browser.SubmitAsync(signIn, signIn.RequestPath,
            [("username", Alice), ("password", NewPassword), ("returnUrl", signIn.Field("returnUrl")!)]));

        Assert.Equal(302, security.Status);
        Assert.StartsWith("/account/sign-in/two-factor", afterPassword.RequestPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mails_to_one_address_are_limited_on_every_node_while_the_page_answers_alike()
    {
        var limit = new Dictionary<string, string?> { ["Tessera:RateLimits:AccountMailsPerAddress:PermitLimit"] = "2" };
        await using var mailing = await StartAsync(limit);
        var (a, inbox, database) = (mailing.Server, mailing.Inbox, mailing.Database);
        var settings = inbox.Settings();
        settings["Tessera:Issuer"] = a.Issuer;
        settings["Tessera:RateLimits:AccountMailsPerAddress:PermitLimit"] = "2";
        await using var b = await TesseraServer.StartAsync(database, PeopleImport.Create(), settings);
        using var onA = new Browser(a);
        using var onB = new Browser(b);

        var answers = new[]
        {
            await AskForResetAsync(onA, AliceEmail), await AskForResetAsync(onB, AliceEmail), await AskForResetAsync(onA, AliceEmail),
            await AskForResetAsync(onB, AliceEmail),
        };
        await inbox.WaitForAsync(AliceEmail, count: 2);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.All(answers, page => Assert.Equal(200, page.Status));
        Assert.Equal(2, inbox.To(AliceEmail).Count);
    }

    [Fact]
    public async Task Without_an_smtp_server_mail_is_written_to_the_pickup_directory()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, PeopleImport.Create());
        using var browser = new Browser(server);

        await AskForResetAsync(browser, AliceEmail);
        var file = await WaitForFileAsync(server.MailDirectory);
        var message = await MimeMessage.LoadAsync(file);

        Assert.Equal(AliceEmail, message.To.Mailboxes.Single().Address);
        var reset = await SetPasswordAsync(browser, SmtpInbox.LinkIn(message, server.Issuer), NewPassword);
        Assert.Equal(200, reset.Status);

        static async Task<string> WaitForFileAsync(string directory)
        {
            for (var i = 0; i < 200; i++)
            {
                if (Directory.Exists(directory) && Directory.GetFiles(directory, "*.eml") is [var file]) return file;
                await Task.Delay(50);
            }
            throw new TimeoutException($"no .eml file in {directory}");
        }
    }

    [Fact]
    public async Task Registration_mails_a_link_that_verifies_that_address_only()
    {
        var settings = new Dictionary<string, string?> { ["Tessera:Users:SelfRegistration"] = "true" };
        await using var mailing = await StartAsync(settings);
        var (server, inbox) = (mailing.Server, mailing.Inbox);
        using var browser = new Browser(server);
        var form = await browser.GetAsync("/account/register");
        await browser.SubmitAsync(form, "/account/register", [("username", "mia"), ("email", "mia@example.com"), ("password", "Mia-test-pass-1")]);
        var firstLink = SmtpInbox.LinkIn(await inbox.WaitForAsync("mia@example.com"), server.Issuer);
        Assert.False((await UserAsync(server, "mia")).EmailConfirmed);

        // An administrator gives mia another address: the link mailed to the old one must not verify the new one.
        await AdminApi.SendJsonAsync(new ProtocolClient(server.CreateClient()), HttpMethod.Put, "/admin/users/mia", new { email = "mia@other.example" });
        var stale = await ConfirmAsync(browser, firstLink);
        Assert.Equal(400, stale.Status);
        Assert.False((await UserAsync(server, "mia")).EmailConfirmed);

        var security = await browser.GetAsync("/account/security");
        Assert.Contains("mia@other.example</span> — not verified", security.Html, StringComparison.Ordinal);
        await browser.SubmitAsync(security, "/account/security?handler=verify", []);
        var verified = await ConfirmAsync(browser, SmtpInbox.LinkIn(await inbox.WaitForAsync("mia@other.example"), server.Issuer));

        Assert.Equal(200, verified.Status);
        Assert.Contains("mia@other.example is verified.", verified.Html, StringComparison.Ordinal);
        Assert.True((await UserAsync(server, "mia")).EmailConfirmed);
    }

    [Fact]
    public async Task The_e_mail_change_needs_the_password_and_takes_effect_once_from_the_new_address()
    {
        await using var mailing = await StartAsync();
        var (server, inbox) = (mailing.Server, mailing.Inbox);
        var protocol = new ProtocolClient(server.CreateClient());
        using var browser = new Browser(server);
        var signIn = await browser.FollowAsync(await browser.GetAsync("/account/security"));
        var security = await browser.FollowAsync(await browser.SubmitAsync(signIn, signIn.RequestPath,
            [("username", Alice), ("password", AlicePassword), ("returnUrl", signIn.Field("returnUrl")!)]));

        var wrongPassword = await browser.SubmitAsync(security, "/account/security?handler=email",
            [("newEmail", "alice@new.example"), ("currentPassword", "not-the-password")]);
        var asked = await browser.SubmitAsync(security, "/account/security?handler=email",
            [("newEmail", "alice@new.example"), ("currentPassword", AlicePassword)]);
        var message = await inbox.WaitForAsync("alice@new.example");
        var notice = await inbox.WaitForAsync(AliceEmail);
        var link = SmtpInbox.LinkIn(message, server.Issuer);
        Assert.Equal(AliceEmail, (await UserAsync(server, Alice)).Email);

        // The link names its address: pointed at another, it changes nothing.
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(link.Query);
        Assert.Equal("alice@new.example", query["email"].ToString());
        var otherAddress = await ConfirmAsync(browser, new Uri(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(server.Issuer + "/account/confirm-email",
            new Dictionary<string, string?> { ["user"] = query["user"], ["code"] = query["code"], ["email"] = "mallory@evil.example" })));
        var changed = await ConfirmAsync(browser, link);
        var reused = await ConfirmAsync(browser, link);
        using var later = new Browser(server);
        var idToken = Jwt.Payload((string)(await TokensAsync(later, protocol, "openid email")).Json["id_token"]!);

        Assert.Equal(400, wrongPassword.Status);
        Assert.Contains("Your current password is not correct.", wrongPassword.Html, StringComparison.Ordinal);
        Assert.Single(inbox.To("alice@new.example"));
        Assert.Equal(200, asked.Status);
        Assert.Equal("Your e-mail address is being changed", notice.Subject);
        Assert.DoesNotContain("http", notice.TextBody, StringComparison.Ordinal);
        Assert.Equal(400, otherAddress.Status);
        Assert.Equal(200, changed.Status);
        Assert.Contains("Your e-mail address is now alice@new.example.", changed.Html, StringComparison.Ordinal);
        Assert.Equal(400, reused.Status);
        Assert.Equal("alice@new.example", (string?)idToken["email"]);
        Assert.True((bool?)idToken["email_verified"]);
    }

    private static async Task<Browser.Page> ConfirmAsync(Browser browser, Uri link)
    {
        var page = await browser.GetAsync(PathOf(link));
        if (page.Field("code") is null) return page;
        var fields = new List<(string, string)> { ("user", page.Field("user")!), ("code", page.Field("code")!) };
        if (page.Field("email") is { } email) fields.Add(("email", email));
        return await browser.SubmitAsync(page, "/account/confirm-email", fields);
    }
}

public sealed class AccountMailTests_Sqlite() : AccountMailTests(DatabaseKind.Sqlite);

public sealed class AccountMailTests_Postgres() : AccountMailTests(DatabaseKind.Postgres);
