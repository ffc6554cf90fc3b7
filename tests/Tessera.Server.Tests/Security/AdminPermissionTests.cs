using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// The admin API split by permission (issue 16): <c>tessera:admin:&lt;area&gt;</c> reads and changes its area only,
/// <c>tessera:admin:read</c> reads every area and changes none, <c>tessera:admin</c> does everything. Each row is one
/// administrative client holding one permission and one request, with the answer it must get.
/// </summary>
public sealed class AdminPermissionTests(AdminPermissionTests.Server fixture) : IClassFixture<AdminPermissionTests.Server>
{
    private const string Secret = "perm-secret-0123456789-abcdefghijk";
    private static readonly string[] Permissions =
        ["tessera:admin:read", "tessera:admin:clients", "tessera:admin:apis", "tessera:admin:users", "tessera:admin:keys", "tessera:admin:roles", "tessera:admin:audit"];

    /// <summary>One server for every row: a client per permission.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private TestDatabase _database = null!;

        public TesseraServer Tessera { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var import = RoleBasedAccessTests.Import();
            foreach (var permission in Permissions)
            {
                import["clients"]!.AsArray().Add(new JsonObject
                {
                    ["clientId"] = ClientOf(permission), ["clientSecret"] = Secret,
                    ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray(permission),
                });
            }
            _database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
            Tessera = await TesseraServer.StartAsync(_database, import);
        }

        public async Task DisposeAsync()
        {
            await Tessera.DisposeAsync();
            await _database.DisposeAsync();
        }
    }

    private static string ClientOf(string permission) => "perm-" + permission.Split(':')[^1];

    public static TheoryData<string, string, string, object?, int, string> Requests => new()
    {
        { "tessera:admin:read", "GET", "/admin/clients", null, 200, "read opens every area's lists" },
        { "tessera:admin:read", "GET", "/admin/keys", null, 200, "read opens the keys list" },
        { "tessera:admin:read", "GET", "/admin/roles", null, 200, "read opens the roles list" },
        { "tessera:admin:read", "GET", "/admin/users/alice/roles", null, 200, "read opens a user's roles" },
        { "tessera:admin:read", "POST", "/admin/clients", new { clientId = "x1", grantTypes = new[] { "client_credentials" }, scopes = new[] { "message" } }, 403, "read cannot create a client" },
        { "tessera:admin:read", "PUT", "/admin/users/alice/roles", new { roles = new[] { "editor" } }, 403, "read cannot change roles" },
        { "tessera:admin:read", "POST", "/admin/keys/rotate", null, 403, "read cannot rotate a key" },
        { "tessera:admin:clients", "POST", "/admin/clients", new { clientId = "x2", grantTypes = new[] { "client_credentials" }, scopes = new[] { "message" } }, 201, "clients changes clients" },
        { "tessera:admin:clients", "GET", "/admin/users", null, 403, "clients cannot read users" },
        { "tessera:admin:apis", "GET", "/admin/apis/messages", null, 200, "apis reads APIs" },
        { "tessera:admin:apis", "POST", "/admin/roles", new { name = "x3", permissions = new[] { "message" } }, 403, "apis cannot create a role" },
        { "tessera:admin:users", "POST", "/admin/users", new { username = "made-by-users", password = "Made-by-users-1" }, 201, "users creates users" },
        { "tessera:admin:users", "PUT", "/admin/users/alice/roles", new { roles = new[] { "editor" } }, 403, "users cannot hand out roles (that is roles)" },
        { "tessera:admin:keys", "POST", "/admin/keys/rotate", null, 200, "keys rotates keys" },
        { "tessera:admin:keys", "GET", "/admin/clients", null, 403, "keys cannot read clients" },
        { "tessera:admin:roles", "PUT", "/admin/users/bob/roles", new { roles = new[] { "reader" } }, 200, "roles assigns roles" },
        { "tessera:admin:roles", "DELETE", "/admin/clients/web", null, 403, "roles cannot delete a client" },
        { "tessera:admin:audit", "GET", "/admin/clients", null, 403, "audit opens no other area" },
        // No administrator gives or takes away an admin permission it does not hold (AdminPrivilegeCeiling).
        { "tessera:admin:roles", "POST", "/admin/roles", new { name = "x4", permissions = new[] { "tessera:admin" } }, 403, "roles cannot put tessera:admin into a role" },
        { "tessera:admin:roles", "POST", "/admin/roles", new { name = "x5", permissions = new[] { "tessera:admin:roles" } }, 201, "roles gives what it holds" },
        { "tessera:admin:clients", "POST", "/admin/clients", new { clientId = "x6", grantTypes = new[] { "client_credentials" }, scopes = new[] { "tessera:admin:users" } }, 403, "clients cannot make a user-admin client" },
        { "tessera:admin:clients", "DELETE", "/admin/clients/perm-users", null, 403, "clients cannot delete another admin client" },
        { "tessera:admin:users", "POST", "/admin/users/alice/revoke", null, 204, "users acts on a user who holds no admin permission" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Each_admin_permission_opens_its_own_area_and_nothing_else(string permission, string method, string path, object? body, int status, string reason)
    {
        var protocol = new ProtocolClient(fixture.Tessera.CreateClient());
        var token = (await protocol.ClientCredentialsAsync(ClientOf(permission), Secret, permission)).AccessToken;
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await protocol.SendAsync(request);

        Assert.True(status == response.Status, $"{reason}: expected {status}, got {response.Status} {response.Json.ToJsonString()}");
        if (status == 403)
        {
            Assert.Equal("insufficient_scope", response.Error);
            Assert.Contains("scope=\"", response.Http.Headers.WwwAuthenticate.ToString());
        }
    }
}
