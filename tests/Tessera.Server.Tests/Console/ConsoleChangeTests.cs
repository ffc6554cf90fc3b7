using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Storage;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Console;

/// <summary>
/// Changes through the console (issue 20): each runs the admin API's own handler, so a reader changes nothing, a client
/// administrator's new client really gets tokens, the privilege ceiling holds, a destructive action waits for its
/// confirmation, a form without its anti-forgery token is refused, and every change leaves its audit event.
/// </summary>
public abstract partial class ConsoleChangeTests(ConsoleFixture fixture)
{
    private TesseraServer Server => fixture.Server;

    private static (string, string)[] NewClient(string clientId, string scopes = "message") =>
    [
        ("Form.ClientId", clientId), ("Form.DisplayName", "Made in the console"), ("Form.GrantTypes", "client_credentials"),
        ("Form.Scopes", scopes), ("Form.RequireConsent", "true"), ("Form.RequireConsent", "false"),
    ];

    [Fact]
    public async Task A_reader_sees_a_client_but_has_no_form_and_every_post_is_refused()
    {
        using var reader = await fixture.SignedInAsync(ConsoleFixture.Reader);

        var client = await reader.GetAsync("/console/clients/web");
        Assert.Equal(200, client.Status);
        Assert.Contains("no-store", client.Response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Contains("id=\"client-settings\"", client.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=save", client.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=delete", client.Html, StringComparison.Ordinal);

        // The posts a changing administrator would send, with the reader's own anti-forgery token.
        Assert.Equal(403, (await reader.SubmitAsync(client, "/console/clients/web?handler=delete", [("confirmed", "true")])).Status);
        Assert.Equal(403, (await reader.SubmitAsync(client, "/console/clients/web?handler=save", NewClient("web"))).Status);
        Assert.Equal(403, (await reader.SubmitAsync(client, "/console/new-client", NewClient("made-by-reader"))).Status);
        Assert.Equal(403, (await reader.SubmitAsync(client, "/console/keys?handler=rotate", [("algorithm", "RS256"), ("confirmed", "true")])).Status);
        Assert.Equal(403, (await reader.SubmitAsync(client, "/console/users/alice?handler=disable", [("confirmed", "true")])).Status);
        Assert.Equal(403, (await reader.SubmitAsync(client, "/console/roles", [("Form.Name", "made-by-reader"), ("Form.Permissions", "message")])).Status);
        Assert.Equal(403, (await reader.SubmitAsync(client, "/console/apis/notes?handler=delete", [("confirmed", "true")])).Status);

        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        Assert.True(await db.Clients.AnyAsync(c => c.ClientId == PeopleImport.Web));
        Assert.False(await db.Clients.AnyAsync(c => c.ClientId == "made-by-reader"));
        Assert.Null((await db.Users.SingleAsync(u => u.UserName == PeopleImport.Alice)).DisabledAt);
    }

    [Fact]
    public async Task A_client_administrator_creates_a_client_that_then_gets_a_token_with_the_secret_shown_once()
    {
        using var admin = await fixture.SignedInAsync(ConsoleFixture.ClientAdmin);
        var form = await admin.GetAsync("/console/new-client");
        Assert.Equal(200, form.Status);

        var created = await admin.SubmitAsync(form, "/console/new-client", NewClient("console-made"));

        Assert.Equal(200, created.Status);
        Assert.Contains("no-store", created.Response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var secret = SecretOnPage().Match(created.Html).Groups[1].Value;
        Assert.NotEmpty(secret);
        var token = await new ProtocolClient(Server.CreateClient()).ClientCredentialsAsync("console-made", secret, "message");
        Assert.Equal(200, token.Status);
        // Shown once: the client's page never shows it again.
        Assert.DoesNotContain(secret, (await admin.GetAsync("/console/clients/console-made")).Html, StringComparison.Ordinal);
        await AssertAuditedAsync("client.created", "console-made", ConsoleFixture.ClientAdmin);
    }

    [Fact]
    public async Task A_client_the_import_would_refuse_is_refused_with_the_import_validators_words()
    {
        using var admin = await fixture.SignedInAsync(ConsoleFixture.ClientAdmin);
        var form = await admin.GetAsync("/console/new-client");

        var refused = await admin.SubmitAsync(form, "/console/new-client", NewClient("console-bad", scopes: "no-such-scope"));

        Assert.Equal(400, refused.Status);
        Assert.Contains("id=\"problems\"", refused.Html, StringComparison.Ordinal);
        Assert.Contains("no-such-scope", refused.Html, StringComparison.Ordinal);
        // WCAG 3.3.1: the field the problem names is marked and points at the summary; the others are not.
        Assert.Matches("<input name=\"Form.Scopes\" id=\"scopes\" aria-invalid=\"true\" aria-describedby=\"problems\"", refused.Html);
        Assert.DoesNotMatch("id=\"redirectUris\" aria-invalid", refused.Html);
        Assert.DoesNotContain("id=\"new-secret\"", refused.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_administrator_cannot_make_a_client_that_carries_an_admin_permission_they_do_not_hold()
    {
        using var admin = await fixture.SignedInAsync(ConsoleFixture.ClientAdmin);
        var form = await admin.GetAsync("/console/new-client");

        var refused = await admin.SubmitAsync(form, "/console/new-client", NewClient("console-escalation", scopes: "tessera:admin:users"));

        Assert.Equal(403, refused.Status);
        Assert.Contains("tessera:admin:users", refused.Html, StringComparison.Ordinal);
        await using var scope = Server.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<TesseraDbContext>().Clients.AnyAsync(c => c.ClientId == "console-escalation"));
    }

    [Fact]
    public async Task Deleting_a_client_says_what_it_ends_and_waits_for_the_confirmation()
    {
        using var admin = await fixture.SignedInAsync(ConsoleFixture.ClientAdmin);
        var form = await admin.GetAsync("/console/new-client");
        await admin.SubmitAsync(form, "/console/new-client", NewClient("console-doomed"));
        var page = await admin.GetAsync("/console/clients/console-doomed");

        var asked = await admin.SubmitAsync(page, "/console/clients/console-doomed?handler=delete", []);

        Assert.Equal(200, asked.Status);
        Assert.Contains("id=\"confirm-delete\"", asked.Html, StringComparison.Ordinal);
        Assert.Contains("cannot be undone", asked.Html, StringComparison.Ordinal);
        Assert.Equal(200, (await admin.GetAsync("/console/clients/console-doomed")).Status);

        var deleted = await admin.SubmitAsync(asked, "/console/clients/console-doomed?handler=delete", [("confirmed", "true")]);

        Assert.Equal(302, deleted.Status);
        Assert.Equal(404, (await admin.GetAsync("/console/clients/console-doomed")).Status);
        await AssertAuditedAsync("client.deleted", "console-doomed", ConsoleFixture.ClientAdmin);
    }

    [Fact]
    public async Task Disabling_a_user_waits_for_the_confirmation_and_then_the_user_cannot_sign_in()
    {
        using var super = await fixture.SignedInAsync(ConsoleFixture.Super);
        var page = await super.GetAsync("/console/users/member-059");

        var asked = await super.SubmitAsync(page, "/console/users/member-059?handler=disable", []);
        Assert.Contains("id=\"confirm-disable\"", asked.Html, StringComparison.Ordinal);
        Assert.Contains("enabled", (await super.GetAsync("/console/users/member-059")).Html, StringComparison.Ordinal);
        using (var member = new Browser(Server))
            Assert.Equal(302, (await Security.SignInTests.SignInAsync(member, "member-059", ConsoleFixture.Password)).Status);

        var disabled = await super.SubmitAsync(asked, "/console/users/member-059?handler=disable", [("confirmed", "true")]);

        Assert.Equal(200, disabled.Status);
        Assert.Contains("<dd id=\"user-status\">disabled</dd>", disabled.Html, StringComparison.Ordinal);
        using (var member = new Browser(Server))
            Assert.Equal(400, (await Security.SignInTests.SignInAsync(member, "member-059", ConsoleFixture.Password)).Status);
    }

    [Fact]
    public async Task A_superadmin_makes_a_role_changes_it_and_deletes_it_only_after_the_confirmation()
    {
        using var super = await fixture.SignedInAsync(ConsoleFixture.Super);
        var roles = await super.GetAsync("/console/roles");
        // The import gave superadmins one member and console-readers two (the reader and the one without a second factor).
        Assert.Contains("<dt>Users</dt><dd>1</dd>", (await super.GetAsync("/console/roles/superadmins")).Html, StringComparison.Ordinal);
        Assert.Contains("<dt>Users</dt><dd>2</dd>", (await super.GetAsync("/console/roles/console-readers")).Html, StringComparison.Ordinal);

        var created = await super.FollowAsync(await super.SubmitAsync(roles, "/console/roles",
            [("Form.Name", "console-auditors"), ("Form.Description", "Read the trail"), ("Form.Permissions", "tessera:admin:audit")]));
        Assert.Equal("/console/roles/console-auditors", created.RequestPath);
        Assert.Contains("value=\"tessera:admin:audit\" checked=\"checked\"", created.Html, StringComparison.Ordinal);

        var changed = await super.SubmitAsync(created, "/console/roles/console-auditors?handler=save",
            [("Form.Description", "Reads the trail"), ("Form.Permissions", "tessera:admin:audit"), ("Form.Permissions", "message")]);
        Assert.Contains("value=\"message\" checked=\"checked\"", changed.Html, StringComparison.Ordinal);

        var asked = await super.SubmitAsync(changed, "/console/roles/console-auditors?handler=delete", []);
        Assert.Contains("id=\"confirm-delete\"", asked.Html, StringComparison.Ordinal);
        Assert.Equal(200, (await super.GetAsync("/console/roles/console-auditors")).Status);
        Assert.Equal(302, (await super.SubmitAsync(asked, "/console/roles/console-auditors?handler=delete", [("confirmed", "true")])).Status);
        Assert.Equal(404, (await super.GetAsync("/console/roles/console-auditors")).Status);
    }

    [Fact]
    public async Task A_role_with_a_permission_that_is_no_scope_is_refused()
    {
        using var super = await fixture.SignedInAsync(ConsoleFixture.Super);
        var roles = await super.GetAsync("/console/roles");

        var refused = await super.SubmitAsync(roles, "/console/roles", [("Form.Name", "console-bogus"), ("Form.Permissions", "no-such-scope")]);

        Assert.Equal(400, refused.Status);
        Assert.Contains("no-such-scope", refused.Html, StringComparison.Ordinal);
        Assert.Equal(404, (await super.GetAsync("/console/roles/console-bogus")).Status);
    }

    [Fact]
    public async Task An_api_is_written_as_the_import_files_json_checked_like_an_import_and_deleted_only_after_the_confirmation()
    {
        using var super = await fixture.SignedInAsync(ConsoleFixture.Super);
        var form = await super.GetAsync("/console/new-api");
        const string orders = """{"name": "console-orders", "audience": "https://orders.example", "scopes": ["orders:read"]}""";

        var created = await super.FollowAsync(await super.SubmitAsync(form, "/console/new-api", [("Json", orders)]));
        Assert.Equal("/console/apis/console-orders", created.RequestPath);
        var unknownField = await super.SubmitAsync(created, "/console/apis/console-orders?handler=save",
            [("Json", orders.Replace("}", ", \"colour\": \"red\"}", StringComparison.Ordinal))]);
        Assert.Equal(400, unknownField.Status);
        Assert.Contains("unknown field at $.colour", unknownField.Html, StringComparison.Ordinal);
        var takenAudience = await super.SubmitAsync(created, "/console/apis/console-orders?handler=save",
            [("Json", orders.Replace("https://orders.example", PeopleImport.NotesAudience, StringComparison.Ordinal))]);
        Assert.Equal(400, takenAudience.Status);
        Assert.Contains("is already used", takenAudience.Html, StringComparison.Ordinal);

        var asked = await super.SubmitAsync(created, "/console/apis/console-orders?handler=delete", []);
        Assert.Contains("id=\"confirm-delete\"", asked.Html, StringComparison.Ordinal);
        Assert.Equal(200, (await super.GetAsync("/console/apis/console-orders")).Status);
        Assert.Equal(302, (await super.SubmitAsync(asked, "/console/apis/console-orders?handler=delete", [("confirmed", "true")])).Status);
        Assert.Equal(404, (await super.GetAsync("/console/apis/console-orders")).Status);
    }

    [Fact]
    public async Task An_api_that_clients_still_use_is_not_deleted_even_when_confirmed()
    {
        using var super = await fixture.SignedInAsync(ConsoleFixture.Super);
        var page = await super.GetAsync("/console/apis/notes");

        var refused = await super.SubmitAsync(page, "/console/apis/notes?handler=delete", [("confirmed", "true")]);

        Assert.Equal(400, refused.Status);
        Assert.Contains("id=\"problems\"", refused.Html, StringComparison.Ordinal);
        Assert.Equal(200, (await super.GetAsync("/console/apis/notes")).Status);
    }

    [Fact]
    public async Task A_key_rotates_only_after_the_confirmation_and_the_new_key_signs_the_next_token()
    {
        using var super = await fixture.SignedInAsync(ConsoleFixture.Super);
        var keys = await super.GetAsync("/console/keys");
        var protocol = new ProtocolClient(Server.CreateClient());
        var kidBefore = Jwt.Header((await protocol.ClientCredentialsAsync(PeopleImport.Outsider, PeopleImport.OutsiderSecret, "message")).AccessToken)["kid"]!.ToString();

        var asked = await super.SubmitAsync(keys, "/console/keys?handler=rotate", [("algorithm", "RS256")]);
        Assert.Contains("id=\"confirm-rotate\"", asked.Html, StringComparison.Ordinal);
        Assert.Equal(kidBefore, Jwt.Header((await protocol.ClientCredentialsAsync(PeopleImport.Outsider, PeopleImport.OutsiderSecret, "message")).AccessToken)["kid"]!.ToString());

        var rotated = await super.SubmitAsync(asked, "/console/keys?handler=rotate", [("algorithm", "RS256"), ("confirmed", "true")]);

        Assert.Equal(200, rotated.Status);
        Assert.Contains("id=\"notice\"", rotated.Html, StringComparison.Ordinal);
        var kidAfter = Jwt.Header((await protocol.ClientCredentialsAsync(PeopleImport.Outsider, PeopleImport.OutsiderSecret, "message")).AccessToken)["kid"]!.ToString();
        Assert.NotEqual(kidBefore, kidAfter);
        Assert.Contains(kidAfter, rotated.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused()
    {
        using var super = await fixture.SignedInAsync(ConsoleFixture.Super);
        var page = await super.GetAsync("/console/clients/web");

        // A cross-site form rides on the session cookie but cannot read the page's token.
        var forged = await super.SubmitAsync(page, "/console/clients/web?handler=delete", [("confirmed", "true")], withAntiforgery: false);

        Assert.Equal(400, forged.Status);
        Assert.Equal(200, (await super.GetAsync("/console/clients/web")).Status);
    }

    [Fact]
    public async Task Users_come_50_a_page_after_the_last_name_shown_and_a_search_finds_by_the_start_of_the_name_or_address()
    {
        using var reader = await fixture.SignedInAsync(ConsoleFixture.Reader);

        var first = await reader.GetAsync("/console/users");
        var next = Regex.Match(first.Html, "id=\"next-page\" href=\"([^\"]+)\"").Groups[1].Value;
        var second = await reader.GetAsync(System.Net.WebUtility.HtmlDecode(next));
        var byName = await reader.GetAsync("/console/users?q=member-01");
        var byAddress = await reader.GetAsync("/console/users?q=MEMBER042@");

        var firstNames = UserRow().Matches(first.Html).Select(m => m.Groups[1].Value).ToList();
        var secondNames = UserRow().Matches(second.Html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(50, firstNames.Count);
        Assert.Empty(firstNames.Intersect(secondNames));
        Assert.Equal(firstNames.Count + secondNames.Count, firstNames.Union(secondNames).Count());
        Assert.Contains("member-059", firstNames.Concat(secondNames));
        Assert.Equal([.. Enumerable.Range(10, 10).Select(i => $"member-{i:D3}")], UserRow().Matches(byName.Html).Select(m => m.Groups[1].Value));
        Assert.Equal(["member-042"], UserRow().Matches(byAddress.Html).Select(m => m.Groups[1].Value));
    }

    private async Task AssertAuditedAsync(string type, string clientId, string actorName)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var actor = (await db.Users.SingleAsync(u => u.UserName == actorName)).Id;
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Type == type && e.ClientId == clientId && e.Actor == actor && e.Outcome == "success"),
            $"no successful {type} of {clientId} by {actorName}");
    }

    [GeneratedRegex("<code id=\"new-secret\">([^<]+)</code>")]
    private static partial Regex SecretOnPage();

    [GeneratedRegex("<td><a href=\"/console/users/([^\"]+)\">")]
    private static partial Regex UserRow();
}

[Trait("Category", "Console")]
public sealed class ConsoleChangeTests_Sqlite(SqliteConsoleFixture fixture) : ConsoleChangeTests(fixture), IClassFixture<SqliteConsoleFixture>;

[Trait("Category", "Console")]
public sealed class ConsoleChangeTests_Postgres(PostgresConsoleFixture fixture) : ConsoleChangeTests(fixture), IClassFixture<PostgresConsoleFixture>;
