using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Server.Housekeeping;
using Tessera.Server.Storage;
using Tessera.Server.Storage.Audit;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Issue 18's audit trail: each audited action leaves its event — with who, what, from where and the outcome — read
/// back through GET /admin/audit as an auditor would; the trail opens only to tessera:admin:audit; it pages by cursor;
/// no event or audit log line carries a secret used in the test; housekeeping prunes what is past the retention.
/// </summary>
public abstract class AuditTrailTests(DatabaseKind kind)
{
    private const string Auditor = "auditor";
    private const string AuditorSecret = "auditor-secret-0123456789-abcdefg";
    private const string Reader = "reader";
    private const string ReaderSecret = "reader-secret-0123456789-abcdefgh";
    private const string WrongPassword = "Wrong-password-9876";

    private readonly ConcurrentQueue<string> _auditLog = new();

    private async Task<(TesseraServer Server, ProtocolClient Protocol)> StartAsync()
    {
        var import = PeopleImport.Create();
        var clients = import["clients"]!.AsArray();
        clients.Add(new JsonObject { ["clientId"] = Auditor, ["clientSecret"] = AuditorSecret, ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("tessera:admin:audit") });
        clients.Add(new JsonObject { ["clientId"] = Reader, ["clientSecret"] = ReaderSecret, ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("tessera:admin:read") });
        var server = await TesseraServer.StartAsync(kind, import, new Dictionary<string, string?> { ["Logging:LogLevel:Tessera.Audit"] = "Information" },
            (WebApplicationBuilder builder) => builder.Logging.AddProvider(new CapturingLoggerProvider(_auditLog)));
        return (server, new ProtocolClient(server.CreateClient()));
    }

    [Fact]
    public async Task Every_admin_change_is_an_event_naming_the_administrator_and_what_it_changed()
    {
        var (server, protocol) = await StartAsync();
        await using var _ = server;
        const string client = "audited-client";
        Assert.Equal(201, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/clients",
            new { clientId = client, grantTypes = new[] { "client_credentials" }, scopes = new[] { "message" } })).Status);
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, $"/admin/clients/{client}",
            new { clientId = client, grantTypes = new[] { "client_credentials" }, scopes = new[] { "message", "ledger" } })).Status);
        Assert.Equal(204, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Delete, $"/admin/clients/{client}")).Status);
        Assert.Equal(201, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/apis", new { name = "audited", audience = "https://api.example/audited", scopes = new[] { "audited" } })).Status);
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, "/admin/apis/audited", new { name = "audited", audience = "https://api.example/audited", scopes = new[] { "audited", "audited:write" } })).Status);
        Assert.Equal(204, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Delete, "/admin/apis/audited")).Status);
        Assert.Equal(201, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/roles", new { name = "clerk", permissions = new[] { "message" } })).Status);
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, "/admin/roles/clerk", new { permissions = new[] { "ledger" } })).Status);
        Assert.Equal(201, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/users", new { username = "mallory", password = "Mallory-pass-123" })).Status);
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, "/admin/users/mallory", new { name = "Mallory M." })).Status);
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, "/admin/users/mallory/roles", new { roles = new[] { "clerk" } })).Status);
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/users/mallory/disable")).Status);
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/users/mallory/enable")).Status);
        Assert.Equal(204, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/users/mallory/revoke")).Status);
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/users/mallory/reset-mfa")).Status);
        var malloryId = (await EventsAsync(protocol, "type=user.created")).Single()["user"]!.GetValue<string>();
        Assert.Equal(204, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Delete, "/admin/users/mallory")).Status);
        Assert.Equal(204, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Delete, "/admin/roles/clerk")).Status);
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/keys/rotate?algorithm=RS256")).Status);

        foreach (var type in new[] { "client.created", "client.updated", "client.deleted" })
            AssertEvent(await EventsAsync(protocol, $"type={type}"), actor: TestClients.Admin, client: client);
        foreach (var type in new[] { "api.created", "api.updated", "api.deleted", "role.created", "role.updated", "role.deleted" })
            Assert.NotNull((await EventsAsync(protocol, $"type={type}")).Single(e => e["actor"]!.GetValue<string>() == TestClients.Admin && e["outcome"]!.GetValue<string>() == "success"));
        foreach (var type in new[] { "user.updated", "user.roles_changed", "user.disabled", "user.enabled", "user.tokens_revoked", "user.mfa_reset", "user.deleted" })
        {
            var e = Assert.Single(await EventsAsync(protocol, $"type={type}"));
            AssertEvent([e], actor: TestClients.Admin, user: malloryId);
            Assert.Equal("mallory", e["details"]!["username"]!.GetValue<string>());
        }
        var rotated = Assert.Single(await EventsAsync(protocol, "type=key.rotated"), e => e["actor"]!.GetValue<string>() == TestClients.Admin);
        Assert.Equal("RS256", rotated["details"]!["alg"]!.GetValue<string>());
        // Where from: the test's own connection.
        Assert.Equal("127.0.0.1", rotated["ip"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_admin_change_is_a_failure_event_and_no_success_is_recorded()
    {
        var (server, protocol) = await StartAsync();
        await using var _ = server;

        var refused = await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/clients",
            new { clientId = "broken", grantTypes = new[] { "no-such-grant" }, scopes = new[] { "message" } });

        Assert.Equal(400, refused.Status);
        var e = Assert.Single(await EventuallyAsync(protocol, "type=client.created", 1));
        AssertEvent([e], actor: TestClients.Admin, client: "broken", outcome: "failure");
        Assert.Equal("400", e["details"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_change_refused_half_way_is_one_failure_event_and_never_a_success()
    {
        // Identity saves the name before it checks the new password: the event must follow the answer, not the first save.
        var (server, protocol) = await StartAsync();
        await using var _ = server;

        var refused = await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, "/admin/users/alice", new { name = "Renamed", password = "short" });

        Assert.Equal(400, refused.Status);
        var e = Assert.Single(await EventuallyAsync(protocol, "type=user.updated", 1));
        Assert.Equal("failure", e["outcome"]!.GetValue<string>());
        Assert.Equal("400", e["details"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sign_ins_that_succeed_fail_or_are_throttled_are_recorded_with_the_address_and_browser()
    {
        var (server, protocol) = await StartAsync();
        await using var _ = server;

        await SignInAsync(server, PeopleImport.Alice, PeopleImport.AlicePassword);
        await SignInAsync(server, PeopleImport.Alice, WrongPassword);
        await SignInAsync(server, "nobody-" + Guid.NewGuid().ToString("n")[..6], WrongPassword);
        // Per-username limit: 10 failures in 15 minutes, then refused before the password is checked.
        for (var i = 0; i < 11; i++) await SignInAsync(server, PeopleImport.LockoutTen, WrongPassword);

        var succeeded = Assert.Single(await EventuallyAsync(protocol, "type=signin.succeeded", 1));
        Assert.Equal("alice", succeeded["details"]!["username"]!.GetValue<string>());
        Assert.Equal("pwd", succeeded["details"]!["method"]!.GetValue<string>());
        Assert.Equal(succeeded["user"]!.GetValue<string>(), succeeded["actor"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", succeeded["ip"]!.GetValue<string>());
        Assert.Equal("AuditTrailTests/1.0", succeeded["userAgent"]!.GetValue<string>());
        var failed = await EventuallyAsync(protocol, "type=signin.failed", 12);
        Assert.Contains(failed, e => e["details"]!["username"]!.GetValue<string>() == "alice" && e["user"] is not null && e["outcome"]!.GetValue<string>() == "failure");
        Assert.Contains(failed, e => e["details"]!["username"]!.GetValue<string>().StartsWith("nobody-", StringComparison.Ordinal) && e["user"] is null);
        var locked = await EventuallyAsync(protocol, "type=user.locked", 1);
        Assert.Equal(PeopleImport.LockoutTen, locked[0]["details"]!["username"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_personal_access_token_made_and_revoked_is_two_events_for_its_user()
    {
        var (server, protocol) = await StartAsync();
        await using var _ = server;
        var (_, bearer) = await PatApi.NewUserAsync(server, protocol);

        var created = await PatApi.CreateAsync(protocol, bearer, new { name = "ci", scopes = new[] { "message" }, expires_in_days = 1 });
        var id = (string)created.Json["id"]!;
        Assert.Equal(204, (await PatApi.RevokeAsync(protocol, bearer, id)).Status);

        var made = Assert.Single(await EventsAsync(protocol, "type=pat.created"));
        var revoked = Assert.Single(await EventsAsync(protocol, "type=pat.revoked"));
        Assert.Equal(id, made["details"]!["id"]!.GetValue<string>());
        Assert.Equal("message", made["details"]!["scope"]!.GetValue<string>());
        Assert.Equal(made["user"]!.GetValue<string>(), revoked["user"]!.GetValue<string>());
        Assert.Equal(made["user"]!.GetValue<string>(), revoked["actor"]!.GetValue<string>());
    }

    [Fact]
    public async Task Consent_given_and_withdrawn_replayed_codes_and_reused_refresh_tokens_are_recorded()
    {
        var (server, protocol) = await StartAsync();
        await using var _ = server;
        using var browser = new Browser(server);
        var (_, tokens, _, reused, replayed) = await ReuseAndReplayAsync(browser, protocol);
        Assert.Equal(200, tokens.Status);
        Assert.Equal("invalid_grant", reused.Error);
        Assert.Equal("invalid_grant", replayed.Error);
        var signedIn = await browser.GetAsync("/account");
        await browser.SubmitAsync(signedIn, "/account", [("client_id", PeopleImport.Web)]);

        var granted = Assert.Single(await EventsAsync(protocol, "type=consent.granted"));
        AssertEvent([granted], actor: granted["user"]!.GetValue<string>(), client: PeopleImport.Web);
        Assert.Contains("message", granted["details"]!["scope"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertEvent(await EventsAsync(protocol, "type=consent.withdrawn"), actor: granted["user"]!.GetValue<string>(), client: PeopleImport.Web);
        var replay = Assert.Single(await EventuallyAsync(protocol, "type=authorization_code.replayed", 1));
        AssertEvent([replay], actor: PeopleImport.Web, client: PeopleImport.Web, user: granted["user"]!.GetValue<string>(), outcome: "failure");
        var reuse = Assert.Single(await EventuallyAsync(protocol, "type=refresh_token.reused", 1));
        AssertEvent([reuse], actor: PeopleImport.Web, client: PeopleImport.Web, user: granted["user"]!.GetValue<string>(), outcome: "failure");
    }

    [Fact]
    public async Task A_token_exchange_is_recorded_with_the_exchanging_client_and_audience()
    {
        var (server, protocol) = await StartAsync();
        await using var _ = server;
        var subject = (await protocol.ClientCredentialsAsync(TestClients.Service, TestClients.ServiceSecret, "message")).AccessToken;

        var exchanged = await protocol.TokenAsync(PeopleImport.Gateway, PeopleImport.GatewaySecret,
            ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("subject_token", subject),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"), ("audience", PeopleImport.InternalAudience));

        Assert.Equal(200, exchanged.Status);
        var e = Assert.Single(await EventuallyAsync(protocol, "type=token.exchanged", 1));
        AssertEvent([e], actor: PeopleImport.Gateway, client: PeopleImport.Gateway);
        Assert.Equal(PeopleImport.InternalAudience, e["details"]!["audience"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_trail_opens_only_to_the_audit_permission_and_an_auditor_changes_nothing()
    {
        var (server, protocol) = await StartAsync();
        await using var _ = server;
        var auditor = (await protocol.ClientCredentialsAsync(Auditor, AuditorSecret, "tessera:admin:audit")).AccessToken;
        var reader = (await protocol.ClientCredentialsAsync(Reader, ReaderSecret, "tessera:admin:read")).AccessToken;

        Assert.Equal(200, (await AdminApi.GetAsync(protocol, "/admin/audit", auditor)).Status);
        var readerAnswer = await AdminApi.GetAsync(protocol, "/admin/audit", reader);
        Assert.Equal(403, readerAnswer.Status);
        Assert.Contains("tessera:admin:audit", readerAnswer.Http.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(401, (await AdminApi.GetAsync(protocol, "/admin/audit", null)).Status);
        Assert.Equal(403, (await AdminApi.GetAsync(protocol, "/admin/clients", auditor)).Status);
        Assert.Equal(403, (await AdminApi.PostAsync(protocol, "/admin/keys/rotate", auditor)).Status);
    }

    [Fact]
    public async Task Pages_follow_the_cursor_newest_first_and_bad_filters_are_invalid_requests()
    {
        var (server, protocol) = await StartAsync();
        await using var _ = server;
        foreach (var name in new[] { "One", "Two", "Three" })
            Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, "/admin/users/alice", new { name })).Status);

        var seen = new List<long>();
        string? cursor = null;
        for (var page = 0; page < 5; page++)
        {
            var answer = await AuditAsync(protocol, "type=user.updated&limit=1" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(answer["events"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()));
            cursor = (string?)answer["next"];
            if (cursor is null) break;
        }
        Assert.Equal(3, seen.Count);
        Assert.Equal(seen.OrderByDescending(id => id), seen);
        // Forward, oldest first, once the events are settled (five seconds: a later commit of a lower id is not skipped).
        Assert.Empty((await AuditAsync(protocol, $"type=user.updated&after={seen[^1]}"))["events"]!.AsArray());
        await Task.Delay(TimeSpan.FromSeconds(5.5));
        var forward = await AuditAsync(protocol, $"type=user.updated&after={seen[^1]}");
        Assert.Equal([seen[1], seen[0]], forward["events"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()));
        Assert.Empty((await AuditAsync(protocol, "type=user.updated&since=2999-01-01T00:00:00Z"))["events"]!.AsArray());
        Assert.Empty((await AuditAsync(protocol, "type=user.updated&until=2000-01-01T00:00:00Z"))["events"]!.AsArray());

        var token = await AdminApi.TokenAsync(protocol);
        foreach (var bad in new[] { "since=yesterday", "until=13/13/2026", "cursor=abc", "cursor=-1", "limit=0", "limit=1001", "cursor=5&after=3" })
        {
            var answer = await AdminApi.GetAsync(protocol, "/admin/audit?" + bad, token);
            Assert.True(answer.Status == 400 && answer.Error == "invalid_request", $"{bad}: {answer.Status} {answer.Json.ToJsonString()}");
        }
    }

    [Fact]
    public async Task No_event_and_no_audit_log_line_carries_a_secret_used_in_the_test()
    {
        var (server, protocol) = await StartAsync();
        await using var _ = server;
        const string newClientSecret = "brand-new-client-secret-0123456789";
        const string newUserPassword = "Brand-new-user-pass-42";
        var secrets = new List<string> { newClientSecret, newUserPassword, WrongPassword, PeopleImport.AlicePassword, PeopleImport.WebSecret, PeopleImport.GatewaySecret, TestClients.AdminSecret, AuditorSecret };

        Assert.Equal(201, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/clients",
            new { clientId = "secretive", clientSecret = newClientSecret, grantTypes = new[] { "client_credentials" }, scopes = new[] { "message" } })).Status);
        Assert.Equal(201, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/users", new { username = "newbie", password = newUserPassword })).Status);
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, "/admin/users/newbie", new { password = newUserPassword + "x" })).Status);
        secrets.Add(newUserPassword + "x");
        await SignInAsync(server, PeopleImport.Alice, WrongPassword);
        using var browser = new Browser(server);
        var (code, tokens, refresh, _, _) = await ReuseAndReplayAsync(browser, protocol);
        var (_, bearer) = await PatApi.NewUserAsync(server, protocol);
        var pat = (string)(await PatApi.CreateAsync(protocol, bearer, new { name = "scan", scopes = new[] { "message" }, expires_in_days = 1 })).Json["token"]!;
        secrets.AddRange([code, refresh, tokens.AccessToken, (string)tokens.Json["id_token"]!, bearer, pat]);

        await EventuallyAsync(protocol, "type=refresh_token.reused", 1);
        var trail = (await AuditAsync(protocol, "limit=1000")).ToJsonString();
        var log = string.Join('\n', _auditLog);
        Assert.Contains("refresh_token.reused", log, StringComparison.Ordinal);
        Assert.Contains("client.created", trail, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, trail, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Housekeeping_prunes_events_past_the_retention_and_keeps_the_rest()
    {
        var (server, protocol) = await StartAsync();
        await using var _ = server;
        var old = DateTimeOffset.UtcNow.AddDays(-91).ToUnixTimeMilliseconds();
        var recent = DateTimeOffset.UtcNow.AddDays(-89).ToUnixTimeMilliseconds();
        await using (var db = server.GetService<ITesseraDbContextFactory>().Create())
        {
            db.AuditEvents.Add(new AuditEvent { Type = "signin.failed", Actor = "anonymous", Outcome = "failure", OccurredAt = old });
            db.AuditEvents.Add(new AuditEvent { Type = "signin.failed", Actor = "anonymous", Outcome = "failure", OccurredAt = recent });
            await db.SaveChangesAsync();
        }

        await server.GetService<HousekeepingService>().DeleteExpiredAsync(CancellationToken.None);

        var times = (await EventsAsync(protocol, "type=signin.failed")).Select(e => DateTimeOffset.Parse(e["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()).ToList();
        Assert.Equal([recent], times);
    }

    /// <summary>
    /// Alice signs in at the web client and consents; the code is redeemed, the refresh token used and used again (a
    /// reuse), then the code presented again (a replay — last, since it revokes what the code gave, the refresh tokens too).
    /// </summary>
    private static async Task<(string Code, ProtocolResponse Tokens, string Refresh, ProtocolResponse Reused, ProtocolResponse Replayed)> ReuseAndReplayAsync(
        Browser browser, ProtocolClient protocol)
    {
        var code = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser,
            CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid offline_access message", null)))["code"];
        (string, string)[] redeem = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect)];
        var tokens = await protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret, redeem);
        var refresh = CodeFlow.RefreshTokenOf(tokens);
        Assert.Equal(200, (await CodeFlow.RefreshAsync(protocol, refresh)).Status);
        var reused = await CodeFlow.RefreshAsync(protocol, refresh);
        var replayed = await protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret, redeem);
        return (code, tokens, refresh, reused, replayed);
    }

    private static void AssertEvent(IReadOnlyList<JsonNode> events, string actor, string? client = null, string? user = null, string outcome = "success")
    {
        var e = Assert.Single(events);
        Assert.Equal(actor, e["actor"]!.GetValue<string>());
        Assert.Equal(outcome, e["outcome"]!.GetValue<string>());
        if (client is not null) Assert.Equal(client, e["client"]!.GetValue<string>());
        if (user is not null) Assert.Equal(user, e["user"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(e["time"]!.GetValue<string>()));
    }

    private static async Task<JsonObject> AuditAsync(ProtocolClient protocol, string query)
    {
        var answer = await AdminApi.GetAsync(protocol, "/admin/audit?" + query, await AdminApi.TokenAsync(protocol));
        Assert.True(answer.Status == 200, answer.Json.ToJsonString());
        return answer.Json;
    }

    private static async Task<List<JsonNode>> EventsAsync(ProtocolClient protocol, string query) =>
        [.. (await AuditAsync(protocol, query))["events"]!.AsArray().Select(e => e!)];

    /// <summary>Queued events are written a moment after the request: wait (bounded) until at least <paramref name="count"/> are there.</summary>
    private static async Task<List<JsonNode>> EventuallyAsync(ProtocolClient protocol, string query, int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var events = await EventsAsync(protocol, query);
            if (events.Count >= count) return events;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"fewer than {count} events for {query} within 5 s");
    }

    private static async Task SignInAsync(TesseraServer server, string username, string password)
    {
        using var browser = new Browser(server);
        browser.Http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("AuditTrailTests", "1.0"));
        var page = await browser.GetAsync("/account/sign-in");
        await browser.SubmitAsync(page, "/account/sign-in", [("username", username), ("password", password)]);
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => category.StartsWith("Tessera.Audit", StringComparison.Ordinal);

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) lines.Enqueue(category + " " + formatter(state, exception));
            }
        }
    }
}

public sealed class AuditTrailTests_Sqlite() : AuditTrailTests(DatabaseKind.Sqlite);

public sealed class AuditTrailTests_Postgres() : AuditTrailTests(DatabaseKind.Postgres);
