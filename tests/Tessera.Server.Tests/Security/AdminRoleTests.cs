using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Roles through the admin API (issue 16): created, shown, replaced, deleted and assigned with the import file's rules,
/// and a change that takes a permission away ends the personal access tokens carrying it — on the other node too,
/// within its revocation poll.
/// </summary>
public abstract class AdminRoleTests(DatabaseKind kind)
{
    private static readonly Dictionary<string, string?> FastPolls = new()
    {
        ["Tessera:Cache:RefreshInterval"] = "00:00:00.5", ["Tessera:Cache:RevocationPollInterval"] = "00:00:00.5",
    };

    [Fact]
    public async Task A_role_is_created_shown_replaced_and_deleted_and_bad_input_is_refused_by_field()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, RoleBasedAccessTests.Import());
        var protocol = new ProtocolClient(server.CreateClient());

        var created = await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/roles",
            new { name = "auditor", description = "Reads the ledger", permissions = new[] { "ledger", "message" } });
        var duplicate = await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/roles", new { name = "AUDITOR", permissions = new[] { "ledger" } });
        var unknownScope = await AdminApi.SendJsonAsync(protocol, HttpMethod.Post, "/admin/roles", new { name = "x", permissions = new[] { "nope" } });
        var replaced = await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, "/admin/roles/auditor", new { permissions = new[] { "ledger" } });
        var listed = await AdminApi.SendJsonAsync(protocol, HttpMethod.Get, "/admin/roles");
        var deleted = await AdminApi.SendJsonAsync(protocol, HttpMethod.Delete, "/admin/roles/auditor");
        var gone = await AdminApi.SendJsonAsync(protocol, HttpMethod.Get, "/admin/roles/auditor");

        Assert.Equal(201, created.Status);
        Assert.Equal("ledger message", string.Join(' ', created.Json["permissions"]!.AsArray().Select(p => (string?)p)));
        Assert.Equal(400, duplicate.Status);
        Assert.Equal("role 'AUDITOR' already exists; update it with PUT /admin/roles/AUDITOR", duplicate.ErrorDescription);
        Assert.Equal("$.permissions[0] 'nope' is not a scope of any API resource", unknownScope.ErrorDescription);
        Assert.Equal(200, replaced.Status);
        Assert.Null((string?)replaced.Json["description"]);
        Assert.Equal("ledger", string.Join(' ', replaced.Json["permissions"]!.AsArray().Select(p => (string?)p)));
        Assert.Equal(["auditor", "editor", "reader"], listed.Json["roles"]!.AsArray().Select(r => (string)r!["name"]!));
        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Assigning_roles_replaces_the_set_refuses_an_unknown_role_and_changes_the_next_grant_at_once()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, RoleBasedAccessTests.Import());
        var protocol = new ProtocolClient(server.CreateClient());
        var user = await TestUser.CreateAsync(protocol);

        var unknown = await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, $"/admin/users/{user.Username}/roles", new { roles = new[] { "reader", "ghost" } });
        var noRoles = await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, $"/admin/users/{user.Username}/roles", new { });
        using var browser = new Browser(server);
        var before = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser,
            CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "message", null), username: user.Username, password: user.Password));
        var assigned = await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, $"/admin/users/{user.Username}/roles", new { roles = new[] { "editor" } });
        using var again = new Browser(server);
        var after = await user.WebTokensAsync(again, protocol, "message message:write");

        Assert.Equal("roles: 'ghost' is not a role", unknown.ErrorDescription);
        Assert.Equal("roles is required: the user's roles, [] for none", noRoles.ErrorDescription);
        // No role yet: a user-facing grant of the rbac API gets nothing (access_denied at the authorization endpoint).
        Assert.Equal("access_denied", before["error"]);
        Assert.Equal(200, assigned.Status);
        Assert.Equal(["editor"], assigned.Json["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("message message:write", (string?)after.Json["scope"]);
    }

    [Fact]
    public async Task Taking_a_role_away_on_one_node_ends_a_personal_access_token_on_the_other_within_the_poll()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = await TesseraServer.StartAsync(database, RoleBasedAccessTests.Import(), FastPolls);
        var settings = new Dictionary<string, string?>(FastPolls) { ["Tessera:Issuer"] = a.Issuer };
        await using var b = await TesseraServer.StartAsync(database, RoleBasedAccessTests.Import(), settings);
        var protocolA = new ProtocolClient(a.CreateClient());
        var protocolB = new ProtocolClient(b.CreateClient());

        using var browser = new Browser(a);
        var bob = new TestUser(RoleBasedAccessTests.Bob, RoleBasedAccessTests.BobPassword);
        var bearer = (await bob.WebTokensAsync(browser, protocolA, "tessera:pats")).AccessToken;
        var pat = (string)(await PatApi.CreateAsync(protocolA, bearer, new { name = "writer", scopes = new[] { "message:write" }, expires_in_days = 1 })).Json["token"]!;
        Assert.True((await protocolA.IntrospectAsync(Service, ServiceSecret, pat)).Active);

        // The administrator, on node B, makes bob a reader.
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocolB, HttpMethod.Put, $"/admin/users/{RoleBasedAccessTests.Bob}/roles", new { roles = new[] { "reader" } })).Status);

        Assert.False((await protocolB.IntrospectAsync(Service, ServiceSecret, pat)).Active);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        bool activeAtA;
        do
        {
            activeAtA = (await protocolA.IntrospectAsync(Service, ServiceSecret, pat)).Active;
            if (!activeAtA) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.False(activeAtA);
    }

    [Fact]
    public async Task User_attributes_are_set_shown_and_checked_through_the_admin_api_and_reach_new_tokens()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, RoleBasedAccessTests.Import());
        var protocol = new ProtocolClient(server.CreateClient());

        var set = await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, $"/admin/users/{RoleBasedAccessTests.Bob}", new { attributes = new { department = "support" } });
        var reserved = await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, $"/admin/users/{RoleBasedAccessTests.Bob}", new { attributes = new { sub = "alice" } });
        using var browser = new Browser(server);
        var token = await new TestUser(RoleBasedAccessTests.Bob, RoleBasedAccessTests.BobPassword).WebTokensAsync(browser, protocol, "message");

        Assert.Equal(200, set.Status);
        Assert.Equal("support", (string?)set.Json["attributes"]!["department"]);
        Assert.Equal(400, reserved.Status);
        Assert.Equal("$.attributes.sub is not an allowed attribute name (letters, digits, _ . -; not a claim the token writes itself)", reserved.ErrorDescription);
        Assert.Equal("support", (string?)Jwt.Payload(token.AccessToken)["department"]);
    }

    [Fact]
    public async Task Switching_an_api_to_roles_ends_the_personal_access_tokens_of_users_who_hold_none_of_its_scopes()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, RoleBasedAccessTests.Import());
        var protocol = new ProtocolClient(server.CreateClient());
        using var browser = new Browser(server);
        var bearer = (await new TestUser(PeopleImport.Alice, PeopleImport.AlicePassword).WebTokensAsync(browser, protocol, "tessera:pats")).AccessToken;
        var pat = (string)(await PatApi.CreateAsync(protocol, bearer, new { name = "ledger", scopes = new[] { "ledger" }, expires_in_days = 1 })).Json["token"]!;
        Assert.True((await protocol.IntrospectAsync(Service, ServiceSecret, pat)).Active);

        // No role holds ledger: once the API is role-based, alice's token for it is over.
        var ledger = (await AdminApi.SendJsonAsync(protocol, HttpMethod.Get, "/admin/apis/ledger")).Json;
        ledger["userAccess"] = "rbac";
        var switched = await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, "/admin/apis/ledger", ledger);

        Assert.Equal(200, switched.Status);
        Assert.Equal("rbac", (string?)switched.Json["userAccess"]);
        Assert.False((await protocol.IntrospectAsync(Service, ServiceSecret, pat)).Active);
    }
}

public sealed class AdminRoleTests_Sqlite() : AdminRoleTests(DatabaseKind.Sqlite);

public sealed class AdminRoleTests_Postgres() : AdminRoleTests(DatabaseKind.Postgres);
