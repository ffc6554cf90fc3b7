using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// People administering Tessera through a client that signs them in (issue 16): the client <c>console</c> is marked
/// <c>"administration": true</c>; bob holds the role <c>user-admin</c> (tessera:admin:users), <c>root</c> the role
/// <c>superadmin</c> (tessera:admin), alice no admin role. A user gets only the admin permissions a role gives, the
/// admin API takes a user's token only from an administration client and a sign-in with a second factor, a role
/// taken away closes the API at once on every node, and no administrator acts on a holder of permissions they lack.
/// </summary>
public abstract class AdministrativeClientTests(DatabaseKind kind)
{
    private const string Console = "console";
    private const string ConsoleSecret = "console-secret-0123456789-abcdefg";
    private const string ConsoleRedirect = "http://127.0.0.1:4416/signin-oidc";
    internal const string Root = "root";
    internal const string RootPassword = "Root-test-pass-1";

    private static readonly Dictionary<string, string?> FastPolls = new()
    {
        ["Tessera:Cache:RefreshInterval"] = "00:00:00.5", ["Tessera:Cache:RevocationPollInterval"] = "00:00:00.5",
    };

    internal static JsonObject Import()
    {
        var import = RoleBasedAccessTests.Import();
        import["clients"]!.AsArray().Add(new JsonObject
        {
            ["clientId"] = Console, ["clientSecret"] = ConsoleSecret, ["displayName"] = "Admin console", ["administration"] = true,
            ["grantTypes"] = new JsonArray("authorization_code", "refresh_token"), ["redirectUris"] = new JsonArray(ConsoleRedirect),
            ["scopes"] = new JsonArray("openid", "tessera:admin", "tessera:admin:users", "tessera:admin:clients", "tessera:admin:roles"),
        });
        import["roles"]!.AsArray().Add(new JsonObject { ["name"] = "user-admin", ["permissions"] = new JsonArray("tessera:admin:users") });
        import["roles"]!.AsArray().Add(new JsonObject { ["name"] = "superadmin", ["permissions"] = new JsonArray("tessera:admin") });
        var users = import["users"]!.AsArray();
        users.Single(u => (string?)u!["username"] == RoleBasedAccessTests.Bob)!["roles"]!.AsArray().Add("user-admin");
        users.Add(new JsonObject { ["username"] = Root, ["password"] = RootPassword, ["roles"] = new JsonArray("superadmin") });
        return import;
    }

    /// <summary>The user signs in at the console, which asks for <paramref name="scope"/>: the redirect back to it.</summary>
    private static async Task<(Dictionary<string, string> Callback, string Verifier)> ConsoleCallbackAsync(
        TesseraServer server, string scope, string username, string password, SecondFactor? secondFactor = null)
    {
        using var browser = new Browser(server);
        var pkce = CodeFlow.NewPkce();
        var callback = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser,
            CodeFlow.AuthorizeUrl(Console, ConsoleRedirect, scope, pkce.Challenge), username: username, password: password, secondFactor: secondFactor));
        return (callback, pkce.Verifier);
    }

    /// <summary>The user signs in at the console — with their second factor when given — and the console redeems the code.</summary>
    private static async Task<ProtocolResponse> ConsoleTokensAsync(TesseraServer server, string scope, string username, string password, SecondFactor? secondFactor)
    {
        var (callback, verifier) = await ConsoleCallbackAsync(server, scope, username, password, secondFactor);
        Assert.True(callback.ContainsKey("code"), string.Join(", ", callback.Select(p => $"{p.Key}={p.Value}")));
        var tokens = await new ProtocolClient(server.CreateClient()).TokenAsync(Console, ConsoleSecret,
            ("grant_type", "authorization_code"), ("code", callback["code"]), ("redirect_uri", ConsoleRedirect), ("code_verifier", verifier));
        Assert.Equal(200, tokens.Status);
        return tokens;
    }

    private static Task<ProtocolResponse> CallAsync(TesseraServer server, string token, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ProtocolClient(server.CreateClient()).SendAsync(request);
    }

    [Fact]
    public async Task A_user_gets_only_the_admin_permissions_a_role_gives_and_the_admin_api_opens_only_those()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());
        var bobsFactor = await SecondFactor.EnableAsync(server, RoleBasedAccessTests.Bob, RoleBasedAccessTests.BobPassword);

        // The attack: bob, a user administrator, lets the console ask for every admin permission it may request.
        var bob = await ConsoleTokensAsync(server, "openid tessera:admin tessera:admin:users tessera:admin:clients", RoleBasedAccessTests.Bob, RoleBasedAccessTests.BobPassword, bobsFactor);
        var users = await CallAsync(server, bob.AccessToken, HttpMethod.Get, "/admin/users");
        var clients = await CallAsync(server, bob.AccessToken, HttpMethod.Get, "/admin/clients");

        Assert.Equal(200, bob.Status);
        Assert.Equal("openid tessera:admin:users", (string?)Jwt.Payload(bob.AccessToken)["scope"]);
        Assert.Equal(200, users.Status);
        Assert.Equal(403, clients.Status);
        Assert.Equal("insufficient_scope", clients.Error);
    }

    [Fact]
    public async Task A_users_admin_token_from_a_sign_in_without_a_second_factor_opens_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());

        // The attack: root's password alone (phished, reused), at the administration client.
        var passwordOnly = await ConsoleTokensAsync(server, "openid tessera:admin", Root, RootPassword, secondFactor: null);
        var refused = await CallAsync(server, passwordOnly.AccessToken, HttpMethod.Get, "/admin/users");

        Assert.Equal("urn:tessera:acr:pwd", (string?)Jwt.Payload(passwordOnly.AccessToken)["acr"]);
        Assert.Equal(401, refused.Status);
        Assert.Equal("insufficient_user_authentication", refused.Error);
        Assert.Contains("acr_values=\"urn:tessera:acr:mfa\"", refused.Http.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var rootsFactor = await SecondFactor.EnableAsync(server, Root, RootPassword);
        var withSecondFactor = await ConsoleTokensAsync(server, "openid tessera:admin", Root, RootPassword, rootsFactor);
        Assert.Equal("urn:tessera:acr:mfa", (string?)Jwt.Payload(withSecondFactor.AccessToken)["acr"]);
        Assert.Equal(200, (await CallAsync(server, withSecondFactor.AccessToken, HttpMethod.Get, "/admin/users")).Status);
    }

    [Fact]
    public async Task A_user_without_an_admin_role_is_refused_every_admin_scope_whatever_they_consent_to()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());

        var (alice, _) = await ConsoleCallbackAsync(server, "tessera:admin tessera:admin:users", PeopleImport.Alice, PeopleImport.AlicePassword);

        // RFC 6749 §4.1.2.1: nothing grantable is access_denied at the client's redirect URI.
        Assert.Equal("access_denied", alice["error"]);
        Assert.False(alice.ContainsKey("code"));
    }

    [Fact]
    public async Task A_users_token_from_a_client_not_marked_administration_opens_nothing_even_with_an_admin_role()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());
        var protocol = new ProtocolClient(server.CreateClient());

        // root is a superadmin, but the web app is no administration client: its token of root's stays a user's token.
        var web = (await CodeFlowAsRootAsync(server, protocol)).AccessToken;
        var refused = await CallAsync(server, web, HttpMethod.Get, "/admin/users");

        Assert.Equal(401, refused.Status);
        Assert.Equal("invalid_token", refused.Error);
        Assert.Equal("the admin API takes an administrative client's own token, or a user's token from a client marked \"administration\": true", refused.ErrorDescription);
    }

    private static async Task<ProtocolResponse> CodeFlowAsRootAsync(TesseraServer server, ProtocolClient protocol)
    {
        using var browser = new Browser(server);
        var code = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser,
            CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "tessera:pats", null), username: Root, password: RootPassword))["code"];
        return await protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", PeopleImport.WebRedirect));
    }

    [Fact]
    public async Task Unmarking_the_client_closes_the_admin_api_to_the_tokens_it_already_gave()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var settings = new Dictionary<string, string?>();
        string bob;
        await using (var server = await TesseraServer.StartAsync(database, Import()))
        {
            var bobsFactor = await SecondFactor.EnableAsync(server, RoleBasedAccessTests.Bob, RoleBasedAccessTests.BobPassword);
            bob = (await ConsoleTokensAsync(server, "tessera:admin:users", RoleBasedAccessTests.Bob, RoleBasedAccessTests.BobPassword, bobsFactor)).AccessToken;
            Assert.Equal(200, (await CallAsync(server, bob, HttpMethod.Get, "/admin/users")).Status);
            settings["Tessera:Issuer"] = server.Issuer;
        }

        // The operator turns the console into an ordinary client (which then may not list admin scopes either).
        var import = Import();
        var console = import["clients"]!.AsArray().Single(c => (string?)c!["clientId"] == Console)!;
        console["administration"] = false;
        console["scopes"] = new JsonArray("openid");
        await using var restarted = await TesseraServer.StartAsync(database, import, settings);

        Assert.Equal(401, (await CallAsync(restarted, bob, HttpMethod.Get, "/admin/users")).Status);
    }

    [Fact]
    public async Task Taking_the_admin_role_away_on_one_node_closes_the_admin_api_to_the_same_token_on_the_other_at_once()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = await TesseraServer.StartAsync(database, Import(), FastPolls);
        var settings = new Dictionary<string, string?>(FastPolls) { ["Tessera:Issuer"] = a.Issuer };
        await using var b = await TesseraServer.StartAsync(database, Import(), settings);
        var bobsFactor = await SecondFactor.EnableAsync(a, RoleBasedAccessTests.Bob, RoleBasedAccessTests.BobPassword);
        var rootsFactor = await SecondFactor.EnableAsync(a, Root, RootPassword);
        var bob = (await ConsoleTokensAsync(a, "tessera:admin:users", RoleBasedAccessTests.Bob, RoleBasedAccessTests.BobPassword, bobsFactor)).AccessToken;
        Assert.Equal(200, (await CallAsync(b, bob, HttpMethod.Get, "/admin/users")).Status);

        // root, through the console on node A, leaves bob an editor only.
        var root = (await ConsoleTokensAsync(a, "tessera:admin", Root, RootPassword, rootsFactor)).AccessToken;
        var demoted = await CallAsync(a, root, HttpMethod.Put, $"/admin/users/{RoleBasedAccessTests.Bob}/roles", new { roles = new[] { "editor" } });
        var after = await CallAsync(b, bob, HttpMethod.Get, "/admin/users");

        Assert.Equal(200, demoted.Status);
        // bob's token is still valid and still says tessera:admin:users; his roles no longer do.
        Assert.Equal(403, after.Status);
        Assert.Equal("insufficient_scope", after.Error);
    }

    [Fact]
    public async Task A_user_administrator_cannot_take_over_or_lock_out_a_holder_of_more_admin_permissions()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());
        var bobsFactor = await SecondFactor.EnableAsync(server, RoleBasedAccessTests.Bob, RoleBasedAccessTests.BobPassword);
        var rootsFactor = await SecondFactor.EnableAsync(server, Root, RootPassword);
        var bob = (await ConsoleTokensAsync(server, "tessera:admin:users", RoleBasedAccessTests.Bob, RoleBasedAccessTests.BobPassword, bobsFactor)).AccessToken;

        // The attacks: set root's password and sign in as root; disable, revoke or delete root; strip root's second factor.
        var password = await CallAsync(server, bob, HttpMethod.Put, $"/admin/users/{Root}", new { password = "Taken-over-pass-1" });
        var disable = await CallAsync(server, bob, HttpMethod.Post, $"/admin/users/{Root}/disable");
        var revoke = await CallAsync(server, bob, HttpMethod.Post, $"/admin/users/{Root}/revoke");
        var delete = await CallAsync(server, bob, HttpMethod.Delete, $"/admin/users/{Root}");
        var resetMfa = await CallAsync(server, bob, HttpMethod.Post, $"/admin/users/{Root}/reset-mfa");
        var ordinary = await CallAsync(server, bob, HttpMethod.Put, $"/admin/users/{PeopleImport.Alice}", new { name = "Alice A." });

        foreach (var refused in new[] { password, disable, revoke, delete, resetMfa })
        {
            Assert.Equal(403, refused.Status);
            Assert.Equal("insufficient_scope", refused.Error);
            Assert.Equal("the change concerns the admin permission 'tessera:admin', which the caller does not hold: no administrator gives or takes away more than they hold", refused.ErrorDescription);
        }
        Assert.Equal(200, ordinary.Status);
        // root's password, account and sessions are as they were: root signs in with the old password.
        Assert.Equal("tessera:admin", (string?)Jwt.Payload((await ConsoleTokensAsync(server, "tessera:admin", Root, RootPassword, rootsFactor)).AccessToken)["scope"]);
    }

    [Fact]
    public async Task A_role_administrator_cannot_give_admin_permissions_it_does_not_hold_to_anyone_including_itself()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var import = Import();
        import["roles"]!.AsArray().Add(new JsonObject { ["name"] = "role-admin", ["permissions"] = new JsonArray("tessera:admin:roles") });
        import["users"]!.AsArray().Single(u => (string?)u!["username"] == PeopleImport.Alice)!["roles"]!.AsArray().Add("role-admin");
        await using var server = await TesseraServer.StartAsync(database, import);
        var alicesFactor = await SecondFactor.EnableAsync(server, PeopleImport.Alice, PeopleImport.AlicePassword);
        var alice = (await ConsoleTokensAsync(server, "tessera:admin:roles", PeopleImport.Alice, PeopleImport.AlicePassword, alicesFactor)).AccessToken;

        var toSelf = await CallAsync(server, alice, HttpMethod.Put, $"/admin/users/{PeopleImport.Alice}/roles", new { roles = new[] { "reader", "role-admin", "superadmin" } });
        var widened = await CallAsync(server, alice, HttpMethod.Put, "/admin/roles/role-admin", new { permissions = new[] { "tessera:admin:roles", "tessera:admin:users" } });
        var created = await CallAsync(server, alice, HttpMethod.Post, "/admin/roles", new { name = "escalator", permissions = new[] { "tessera:admin" } });
        var demoteRoot = await CallAsync(server, alice, HttpMethod.Put, $"/admin/users/{Root}/roles", new { roles = Array.Empty<string>() });
        var deleteSuper = await CallAsync(server, alice, HttpMethod.Delete, "/admin/roles/superadmin");
        var demoteBob = await CallAsync(server, alice, HttpMethod.Put, $"/admin/users/{RoleBasedAccessTests.Bob}/roles", new { roles = new[] { "editor" } });
        // Within reach: roles that carry no admin permission, and a role carrying only what alice holds.
        var readerForBob = await CallAsync(server, alice, HttpMethod.Put, $"/admin/users/{RoleBasedAccessTests.Bob}/roles", new { roles = new[] { "editor", "user-admin", "reader" } });
        var sameLevel = await CallAsync(server, alice, HttpMethod.Post, "/admin/roles", new { name = "deputy", permissions = new[] { "tessera:admin:roles", "message" } });

        Assert.Equal([403, 403, 403, 403, 403, 403], new[] { toSelf.Status, widened.Status, created.Status, demoteRoot.Status, deleteSuper.Status, demoteBob.Status });
        Assert.Equal("the change concerns the admin permission 'tessera:admin:users', which the caller does not hold: no administrator gives or takes away more than they hold", widened.ErrorDescription);
        Assert.Equal(["superadmin"], (await CallAsync(server, alice, HttpMethod.Get, $"/admin/users/{Root}/roles")).Json["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(404, (await CallAsync(server, alice, HttpMethod.Get, "/admin/roles/escalator")).Status);
        Assert.Equal(200, readerForBob.Status);
        Assert.Equal(201, sameLevel.Status);
    }

    [Fact]
    public async Task A_client_administrator_cannot_make_an_admin_client_or_take_over_an_existing_one()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var import = Import();
        import["clients"]!.AsArray().Add(new JsonObject
        {
            ["clientId"] = "client-admin", ["clientSecret"] = "client-admin-secret-0123456789-ab",
            ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("tessera:admin:clients"),
        });
        await using var server = await TesseraServer.StartAsync(database, import);
        var protocol = new ProtocolClient(server.CreateClient());
        var token = (await protocol.ClientCredentialsAsync("client-admin", "client-admin-secret-0123456789-ab", "tessera:admin:clients")).AccessToken;

        var created = await CallAsync(server, token, HttpMethod.Post, "/admin/clients",
            new { clientId = "mine", grantTypes = new[] { "client_credentials" }, scopes = new[] { "tessera:admin" } });
        // A new secret for the operator's own administrative client would be its administrator's power.
        var takeover = await CallAsync(server, token, HttpMethod.Put, $"/admin/clients/{TestClients.Admin}",
            new { clientSecret = "attacker-chosen-secret-0123456789", grantTypes = new[] { "client_credentials" }, scopes = new[] { "tessera:admin", "tessera:pats" } });
        var deleted = await CallAsync(server, token, HttpMethod.Delete, $"/admin/clients/{Console}");
        var ordinary = await CallAsync(server, token, HttpMethod.Post, "/admin/clients",
            new { clientId = "plain", grantTypes = new[] { "client_credentials" }, scopes = new[] { "message" } });

        Assert.Equal([403, 403, 403], new[] { created.Status, takeover.Status, deleted.Status });
        Assert.Equal("insufficient_scope", takeover.Error);
        Assert.Equal("invalid_client", (await protocol.ClientCredentialsAsync(TestClients.Admin, "attacker-chosen-secret-0123456789", "tessera:admin")).Error);
        Assert.Equal(404, (await CallAsync(server, token, HttpMethod.Get, "/admin/clients/mine")).Status);
        Assert.Equal(200, (await protocol.ClientCredentialsAsync(TestClients.Admin, TestClients.AdminSecret, "tessera:admin")).Status);
        Assert.Equal(201, ordinary.Status);
    }
}

public sealed class AdministrativeClientTests_Sqlite() : AdministrativeClientTests(DatabaseKind.Sqlite);

public sealed class AdministrativeClientTests_Postgres() : AdministrativeClientTests(DatabaseKind.Postgres);
