using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Roles (issue 16): the messages API says <c>"userAccess": "rbac"</c>, the role <c>reader</c> holds <c>message</c>,
/// <c>editor</c> holds <c>message</c> and <c>message:write</c>; alice is a reader, bob an editor. Every client asks
/// for more than a user holds, and every grant must hand out only what the user's roles carry.
/// </summary>
public abstract class RoleBasedAccessTests(DatabaseKind kind)
{
    internal const string Bob = "bob";
    internal const string BobPassword = "Bob-test-pass-1";

    /// <summary>The people import with roles; <paramref name="bobsRole"/> is bob's one role.</summary>
    internal static JsonObject Import(string bobsRole = "editor")
    {
        var import = PeopleImport.Create();
        var messages = import["apiResources"]!.AsArray().Single(a => (string?)a!["name"] == "messages")!;
        messages["userAccess"] = "rbac";
        messages["claims"] = new JsonArray("roles", "department");
        import["apiResources"]!.AsArray().Single(a => (string?)a!["name"] == "ledger")!["claims"] = new JsonArray("department");
        foreach (var client in import["clients"]!.AsArray().Where(c => (string?)c!["clientId"] is PeopleImport.Web or PeopleImport.Cli or PeopleImport.Gateway))
            client!["scopes"]!.AsArray().Add("message:write");
        import["clients"]!.AsArray().Single(c => (string?)c!["clientId"] == PeopleImport.Web)!["idTokenClaims"] = new JsonArray("roles", "department");
        import["roles"] = new JsonArray
        {
            new JsonObject { ["name"] = "reader", ["description"] = "Reads messages", ["permissions"] = new JsonArray("message") },
            new JsonObject { ["name"] = "editor", ["permissions"] = new JsonArray("message", "message:write") },
        };
        var users = import["users"]!.AsArray();
        var alice = users.Single(u => (string?)u!["username"] == PeopleImport.Alice)!;
        alice["roles"] = new JsonArray("reader");
        alice["attributes"] = new JsonObject { ["department"] = "sales", ["clearance"] = "secret" };
        users.Add(new JsonObject { ["username"] = Bob, ["password"] = BobPassword, ["roles"] = new JsonArray(bobsRole) });
        return import;
    }

    private static async Task<ProtocolResponse> CodeTokensAsync(TesseraServer server, string scope, string username, string password, params (string Name, string Value)[] extra)
    {
        using var browser = new Browser(server);
        var callback = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser,
            CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, scope, null, extra), username: username, password: password));
        Assert.True(callback.ContainsKey("code"), string.Join(", ", callback.Select(p => $"{p.Key}={p.Value}")));
        return await new ProtocolClient(server.CreateClient()).TokenAsync(PeopleImport.Web, PeopleImport.WebSecret,
            ("grant_type", "authorization_code"), ("code", callback["code"]), ("redirect_uri", PeopleImport.WebRedirect));
    }

    [Fact]
    public async Task A_user_without_the_permission_never_receives_the_scope_from_the_authorization_endpoint()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());

        // The attack: alice (a reader) lets the web app ask for message:write next to what she holds.
        var alice = await CodeTokensAsync(server, "openid message message:write", PeopleImport.Alice, PeopleImport.AlicePassword);
        var bob = await CodeTokensAsync(server, "openid message message:write", Bob, BobPassword);

        Assert.Equal("openid message", (string?)alice.Json["scope"]);
        Assert.Equal("openid message", (string?)Jwt.Payload(alice.AccessToken)["scope"]);
        Assert.Equal("openid message message:write", (string?)bob.Json["scope"]);
    }

    [Fact]
    public async Task A_forged_roles_claim_in_a_request_object_or_the_claims_parameter_gives_alice_nothing_more()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());
        using var browser = new Browser(server);
        var forged = Base64Url("{\"alg\":\"none\"}") + "." + Base64Url("{\"scope\":\"message message:write\",\"roles\":[\"editor\"]}") + ".";

        // RFC 9101 §10.2: an unsigned request object is refused, not read (nor ignored while its parameters look meant).
        var requestObject = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser,
            CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid message message:write", null, ("request", forged))));
        // OIDC Core §5.5: the claims parameter asks for claims; it cannot set their values, nor a role.
        var claims = await CodeTokensAsync(server, "openid message message:write", PeopleImport.Alice, PeopleImport.AlicePassword,
            ("claims", "{\"access_token\":{\"roles\":{\"value\":\"editor\"}},\"id_token\":{\"roles\":{\"values\":[\"editor\"]}}}"));

        Assert.Equal("invalid_request_object", requestObject["error"]);
        Assert.False(requestObject.ContainsKey("code"));
        Assert.Equal("openid message", (string?)claims.Json["scope"]);
        Assert.Equal(["reader"], Jwt.Payload(claims.AccessToken)["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(["reader"], Jwt.Payload((string)claims.Json["id_token"]!)["roles"]!.AsArray().Select(r => (string)r!));
    }

    private static string Base64Url(string json) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(json);

    [Fact]
    public async Task The_consent_page_shows_only_the_scopes_the_user_holds_and_a_request_for_none_of_them_is_access_denied()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());
        using var browser = new Browser(server);

        var consent = await browser.FollowAsync(await browser.GetAsync(CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid message message:write", null)));
        consent = await browser.FollowAsync(await browser.SubmitAsync(consent, consent.RequestPath,
            [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", consent.Field("returnUrl")!)]));
        Assert.StartsWith("/consent", consent.RequestPath, StringComparison.Ordinal);
        Assert.Contains("message", consent.Html);
        Assert.DoesNotContain("message:write", consent.Html);

        // RFC 6749 §4.1.2.1: nothing grantable is access_denied at the client's redirect URI.
        var denied = CodeFlow.Callback(await CodeFlow.SignInAndApproveAsync(browser,
            CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "message:write", null)));
        Assert.Equal("access_denied", denied["error"]);
        Assert.Equal("the user holds none of the requested scopes", denied["error_description"]);
    }

    [Fact]
    public async Task Removing_a_role_narrows_the_next_refresh_and_giving_it_back_does_not_widen_the_grant_again()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var settings = new Dictionary<string, string?>();
        string refresh;
        await using (var server = await TesseraServer.StartAsync(database, Import()))
        {
            refresh = CodeFlow.RefreshTokenOf(await CodeTokensAsync(server, "offline_access message message:write", Bob, BobPassword));
            settings["Tessera:Issuer"] = server.Issuer;
        }

        // The operator takes bob's editor role away (the import now makes him a reader).
        await using (var server = await TesseraServer.StartAsync(database, Import(bobsRole: "reader"), settings))
        {
            var protocol = new ProtocolClient(server.CreateClient());
            // Asking for the scope that is gone: refused before the refresh token is used up (RFC 6749 §5.2).
            var widen = await CodeFlow.RefreshAsync(protocol, refresh, ("scope", "message:write"));
            Assert.Equal("invalid_scope", widen.Error);
            Assert.Equal("the user no longer holds any of the requested scopes", widen.ErrorDescription);

            var narrowed = await CodeFlow.RefreshAsync(protocol, refresh);
            Assert.Equal(200, narrowed.Status);
            Assert.Equal("offline_access message", (string?)narrowed.Json["scope"]);
            refresh = CodeFlow.RefreshTokenOf(narrowed);
        }

        // Editor again: the grant stays as narrow as it became (RFC 6749 §6: a refresh never widens).
        await using (var server = await TesseraServer.StartAsync(database, Import(bobsRole: "editor"), settings))
        {
            var again = await CodeFlow.RefreshAsync(new ProtocolClient(server.CreateClient()), refresh);
            Assert.Equal("offline_access message", (string?)again.Json["scope"]);
        }
    }

    [Fact]
    public async Task A_personal_access_token_ends_when_its_owner_loses_a_scope_it_carries_and_one_within_the_roles_stays()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var settings = new Dictionary<string, string?>();
        string writer, reader;
        await using (var server = await TesseraServer.StartAsync(database, Import()))
        {
            var protocol = new ProtocolClient(server.CreateClient());
            var bearer = (await CodeTokensAsync(server, "tessera:pats", Bob, BobPassword)).AccessToken;
            writer = (string)(await PatApi.CreateAsync(protocol, bearer, new { name = "writer", scopes = new[] { "message", "message:write" }, expires_in_days = 1 })).Json["token"]!;
            reader = (string)(await PatApi.CreateAsync(protocol, bearer, new { name = "reader", scopes = new[] { "message" }, expires_in_days = 1 })).Json["token"]!;
            Assert.True((await protocol.IntrospectAsync(Service, ServiceSecret, writer)).Active);
            settings["Tessera:Issuer"] = server.Issuer;
        }

        await using var restarted = await TesseraServer.StartAsync(database, Import(bobsRole: "reader"), settings);
        var introspection = new ProtocolClient(restarted.CreateClient());

        // A PAT made before the role was removed: ended, not narrowed.
        Assert.False((await introspection.IntrospectAsync(Service, ServiceSecret, writer)).Active);
        Assert.True((await introspection.IntrospectAsync(Service, ServiceSecret, reader)).Active);
    }

    [Fact]
    public async Task A_personal_access_token_gets_only_the_scopes_its_owner_holds_and_none_of_them_is_invalid_scope()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());
        var protocol = new ProtocolClient(server.CreateClient());
        var bearer = (await CodeTokensAsync(server, "tessera:pats", PeopleImport.Alice, PeopleImport.AlicePassword)).AccessToken;

        var none = await PatApi.CreateAsync(protocol, bearer, new { name = "escalate", scopes = new[] { "message:write" }, expires_in_days = 1 });
        var some = await PatApi.CreateAsync(protocol, bearer, new { name = "mixed", scopes = new[] { "message", "message:write" }, expires_in_days = 1 });

        Assert.Equal(400, none.Status);
        Assert.Equal("invalid_scope", none.Error);
        Assert.Equal("the user holds none of the requested scopes", none.ErrorDescription);
        Assert.Equal(201, some.Status);
        var introspected = await protocol.IntrospectAsync(Service, ServiceSecret, (string)some.Json["token"]!);
        Assert.Equal("message", (string?)introspected.Json["scope"]);
        // The messages API asks for roles and the department: a PAT's introspection answers them as they are now.
        Assert.Equal(["reader"], introspected.Json["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("sales", (string?)introspected.Json["department"]);
        Assert.Null(introspected.Json["clearance"]);
    }

    [Fact]
    public async Task The_device_flow_gives_only_the_scopes_the_approving_user_holds_and_none_of_them_is_access_denied()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());
        var protocol = new ProtocolClient(server.CreateClient());

        var mixed = await DeviceFlow.AuthorizeAsync(protocol, "message message:write");
        await DeviceFlow.UserDecidesAsync(server, DeviceFlow.UserCode(mixed), "allow");
        var onlyWrite = await DeviceFlow.AuthorizeAsync(protocol, "message:write");
        await DeviceFlow.UserDecidesAsync(server, DeviceFlow.UserCode(onlyWrite), "allow");

        var token = await DeviceFlow.PollAsync(protocol, DeviceFlow.DeviceCode(mixed));
        Assert.Equal("message", (string?)token.Json["scope"]);
        // RFC 8628 §3.5: access_denied.
        var denied = await DeviceFlow.PollAsync(protocol, DeviceFlow.DeviceCode(onlyWrite));
        Assert.Equal("access_denied", denied.Error);
    }

    [Fact]
    public async Task A_token_exchange_passes_on_only_the_scopes_the_subject_still_holds()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var settings = new Dictionary<string, string?>();
        string subject;
        await using (var server = await TesseraServer.StartAsync(database, Import()))
        {
            subject = (await CodeTokensAsync(server, "message message:write", Bob, BobPassword)).AccessToken;
            settings["Tessera:Issuer"] = server.Issuer;
        }

        // Bob loses the editor role while his access token (a JWT, which no role change can recall) is still valid.
        await using var restarted = await TesseraServer.StartAsync(database, Import(bobsRole: "reader"), settings);
        var protocol = new ProtocolClient(restarted.CreateClient());
        Task<ProtocolResponse> ExchangeAsync(params (string, string)[] extra) => protocol.TokenAsync(PeopleImport.Gateway, PeopleImport.GatewaySecret,
            [("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("subject_token", subject),
             ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"), ("audience", PeopleImport.InternalAudience), .. extra]);

        var passedOn = await ExchangeAsync();
        var widen = await ExchangeAsync(("scope", "message:write"));

        Assert.Equal(200, passedOn.Status);
        Assert.Equal("message", (string?)passedOn.Json["scope"]);
        // RFC 8693 §2.2.2: invalid_scope.
        Assert.Equal("invalid_scope", widen.Error);
        Assert.Equal("the subject holds none of the requested scopes", widen.ErrorDescription);
    }

    [Fact]
    public async Task The_account_page_offers_and_makes_personal_access_tokens_only_with_the_scopes_the_user_holds()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());
        using var browser = new Browser(server);
        var page = await browser.FollowAsync(await browser.GetAsync("/account/tokens"));
        page = await browser.FollowAsync(await browser.SubmitAsync(page, page.RequestPath,
            [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", page.Field("returnUrl")!)]));
        Assert.Contains("value=\"message\"", page.Html);
        Assert.DoesNotContain("value=\"message:write\"", page.Html);

        // The attack: the form is posted with a scope the page did not offer.
        var created = await browser.SubmitAsync(page, "/account/tokens?handler=create", [("name", "page-escalate"), ("scopes", "message:write"), ("days", "1")]);

        Assert.Contains("the user holds none of the requested scopes", created.Html);
        Assert.DoesNotContain("id=\"new-token\"", created.Html);
    }

    [Fact]
    public async Task Tokens_carry_the_roles_and_attributes_their_api_asks_for_and_no_other_api_sees_them()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());
        var protocol = new ProtocolClient(server.CreateClient());

        var messages = (await CodeTokensAsync(server, "message", PeopleImport.Alice, PeopleImport.AlicePassword)).AccessToken;
        var ledger = (await CodeTokensAsync(server, "ledger", PeopleImport.Alice, PeopleImport.AlicePassword)).AccessToken;
        var inventory = (await CodeTokensAsync(server, "inventory", PeopleImport.Alice, PeopleImport.AlicePassword)).AccessToken;

        var jwt = Jwt.Payload(messages);
        Assert.Equal(["reader"], jwt["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("sales", (string?)jwt["department"]);
        Assert.Null(jwt["clearance"]);
        var introspectedJwt = (await protocol.IntrospectAsync(Service, ServiceSecret, messages)).Json;
        Assert.Equal(["reader"], introspectedJwt["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("sales", (string?)introspectedJwt["department"]);
        // The opaque ledger token asks for the department only: introspection answers it, and no roles.
        var introspectedOpaque = (await protocol.IntrospectAsync(Service, ServiceSecret, ledger)).Json;
        Assert.Equal("sales", (string?)introspectedOpaque["department"]);
        Assert.Null(introspectedOpaque["roles"]);
        // An API that asks for nothing gets nothing.
        Assert.Null(Jwt.Payload(inventory)["roles"]);
        Assert.Null(Jwt.Payload(inventory)["department"]);
    }

    [Fact]
    public async Task A_token_exchange_for_an_api_that_asks_for_roles_carries_the_users_current_roles_and_attributes()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());
        var protocol = new ProtocolClient(server.CreateClient());
        var subject = (await CodeTokensAsync(server, "message", PeopleImport.Alice, PeopleImport.AlicePassword)).AccessToken;

        var exchanged = await protocol.TokenAsync(PeopleImport.Gateway, PeopleImport.GatewaySecret,
            ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("subject_token", subject),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"), ("audience", TestClients.MessagesAudience));

        Assert.Equal(200, exchanged.Status);
        var payload = Jwt.Payload(exchanged.AccessToken);
        Assert.Equal(["reader"], payload["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("sales", (string?)payload["department"]);
    }

    [Fact]
    public async Task An_id_token_carries_the_roles_and_attributes_its_client_asks_for()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await TesseraServer.StartAsync(database, Import());

        var web = await CodeTokensAsync(server, "openid", PeopleImport.Alice, PeopleImport.AlicePassword);

        var idToken = Jwt.Payload((string)web.Json["id_token"]!);
        Assert.Equal(["reader"], idToken["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("sales", (string?)idToken["department"]);
        Assert.Null(idToken["clearance"]);
    }
}

public sealed class RoleBasedAccessTests_Sqlite() : RoleBasedAccessTests(DatabaseKind.Sqlite);

public sealed class RoleBasedAccessTests_Postgres() : RoleBasedAccessTests(DatabaseKind.Postgres);
