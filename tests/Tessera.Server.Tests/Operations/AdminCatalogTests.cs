using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// /admin/clients and /admin/apis: the import file's format and validation over HTTP; a change takes effect at once
/// (the snapshot reloads), a generated client secret is shown once, and nothing a client uses can be deleted.
/// </summary>
public abstract class AdminCatalogTests(TesseraServer server) : ServerTest(server)
{
    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("n")[..8];

    private async Task<ProtocolResponse> SendAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await AdminApi.TokenAsync(Protocol));
        return await Protocol.SendAsync(request);
    }

    [Fact]
    public async Task A_created_confidential_client_gets_a_generated_secret_once_and_can_use_it_at_once()
    {
        var id = Unique("made");

        var created = await SendAsync(HttpMethod.Post, "/admin/clients", new { clientId = id, grantTypes = new[] { "client_credentials" }, scopes = new[] { "message" } });

        Assert.Equal(201, created.Status);
        Assert.Equal("no-store", created.Http.Headers.CacheControl?.ToString());
        var secret = (string)created.Json["clientSecret"]!;
        Assert.Equal(43, secret.Length);
        Assert.Equal(200, (await Protocol.ClientCredentialsAsync(id, secret, "message")).Status);
        var shown = await SendAsync(HttpMethod.Get, $"/admin/clients/{id}");
        Assert.Equal(id, (string?)shown.Json["clientId"]);
        Assert.Null(shown.Json["clientSecret"]);
        Assert.DoesNotContain(secret, shown.Json.ToJsonString());
    }

    [Fact]
    public async Task A_client_is_validated_like_an_import_and_every_problem_is_listed()
    {
        var response = await SendAsync(HttpMethod.Post, "/admin/clients",
            new { clientId = Unique("bad"), grantTypes = new[] { "password" }, scopes = new[] { "nope" }, redirectUris = new[] { "http://evil.example/cb" } });

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request", response.Error);
        var problems = response.Json["problems"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Contains(problems, p => p.EndsWith("'password' is not a known grant type", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith("'nope' is not a scope of any API resource", StringComparison.Ordinal));
        Assert.Equal(400, (await SendAsync(HttpMethod.Post, "/admin/clients", new { clientId = Service, grantTypes = new[] { "client_credentials" } })).Status);
        Assert.Equal(400, (await SendAsync(HttpMethod.Post, "/admin/clients", new { clientId = Unique("x"), grantTypes = new[] { "client_credentials" }, secretive = true })).Status);
    }

    [Fact]
    public async Task Replacing_a_client_keeps_its_secret_and_changes_its_scopes_at_once()
    {
        var id = Unique("swap");
        var secret = (string)(await SendAsync(HttpMethod.Post, "/admin/clients", new { clientId = id, grantTypes = new[] { "client_credentials" }, scopes = new[] { "message" } })).Json["clientSecret"]!;

        var replaced = await SendAsync(HttpMethod.Put, $"/admin/clients/{id}", new { grantTypes = new[] { "client_credentials" }, scopes = new[] { "ledger" } });

        Assert.Equal(200, replaced.Status);
        Assert.Equal(200, (await Protocol.ClientCredentialsAsync(id, secret, "ledger")).Status);
        Assert.Equal("invalid_scope", (await Protocol.ClientCredentialsAsync(id, secret, "message")).Error);
    }

    [Fact]
    public async Task A_deleted_client_can_no_longer_authenticate()
    {
        var id = Unique("gone");
        var secret = (string)(await SendAsync(HttpMethod.Post, "/admin/clients", new { clientId = id, grantTypes = new[] { "client_credentials" }, scopes = new[] { "message" } })).Json["clientSecret"]!;

        Assert.Equal(204, (await SendAsync(HttpMethod.Delete, $"/admin/clients/{id}")).Status);

        Assert.Equal("invalid_client", (await Protocol.ClientCredentialsAsync(id, secret, "message")).Error);
        Assert.Equal(404, (await SendAsync(HttpMethod.Get, $"/admin/clients/{id}")).Status);
        Assert.Equal(404, (await SendAsync(HttpMethod.Delete, $"/admin/clients/{id}")).Status);
    }

    [Fact]
    public async Task The_access_tokens_of_a_deleted_client_are_no_longer_active_in_either_format()
    {
        var id = Unique("retired");
        var secret = (string)(await SendAsync(HttpMethod.Post, "/admin/clients", new { clientId = id, grantTypes = new[] { "client_credentials" }, scopes = new[] { "message", "ledger" } })).Json["clientSecret"]!;
        var jwt = (await Protocol.ClientCredentialsAsync(id, secret, "message")).AccessToken!;
        var opaque = (await Protocol.ClientCredentialsAsync(id, secret, "ledger")).AccessToken!;
        Assert.StartsWith("tsr_at_", opaque);
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, jwt)).Active);
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, opaque)).Active);

        Assert.Equal(204, (await SendAsync(HttpMethod.Delete, $"/admin/clients/{id}")).Status);

        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, jwt)).Active);
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, opaque)).Active);
        // Recreated under the same id, the client does not get its predecessor's tokens back. Token times are whole
        // seconds, so the new registration must fall in a later second than the old tokens' iat.
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        var recreated = await SendAsync(HttpMethod.Post, "/admin/clients", new { clientId = id, grantTypes = new[] { "client_credentials" }, scopes = new[] { "message", "ledger" } });
        Assert.Equal(201, recreated.Status);
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, jwt)).Active);
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, opaque)).Active);
        var fresh = (await Protocol.ClientCredentialsAsync(id, (string)recreated.Json["clientSecret"]!, "ledger")).AccessToken!;
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, fresh)).Active);
    }

    [Fact]
    public async Task An_api_in_use_cannot_be_deleted_until_no_client_names_its_scopes()
    {
        var api = Unique("api");
        var scope = api + ":read";
        var created = await SendAsync(HttpMethod.Post, "/admin/apis", new { name = api, audience = $"https://api.example/{api}", scopes = new[] { scope }, accessTokenFormat = "opaque" });
        Assert.Equal(201, created.Status);
        var client = Unique("user-of-api");
        var secret = (string)(await SendAsync(HttpMethod.Post, "/admin/clients", new { clientId = client, grantTypes = new[] { "client_credentials" }, scopes = new[] { scope } })).Json["clientSecret"]!;
        var token = await Protocol.ClientCredentialsAsync(client, secret, scope);
        Assert.StartsWith("tsr_at_", token.AccessToken);

        var refused = await SendAsync(HttpMethod.Delete, $"/admin/apis/{api}");
        Assert.Equal(400, refused.Status);
        Assert.Contains($"'{scope}' is not a scope of any API resource", refused.ErrorDescription);

        Assert.Equal(204, (await SendAsync(HttpMethod.Delete, $"/admin/clients/{client}")).Status);
        Assert.Equal(204, (await SendAsync(HttpMethod.Delete, $"/admin/apis/{api}")).Status);
        Assert.Equal(404, (await SendAsync(HttpMethod.Get, $"/admin/apis/{api}")).Status);
    }

    [Fact]
    public async Task An_api_scope_already_taken_is_refused()
    {
        var response = await SendAsync(HttpMethod.Post, "/admin/apis", new { name = Unique("dup"), audience = "https://api.example/dup-" + Guid.NewGuid().ToString("n"), scopes = new[] { "message" } });

        Assert.Equal(400, response.Status);
        Assert.Contains("'message' already belongs to another API", response.ErrorDescription);
    }

    [Fact]
    public async Task Users_are_listed_without_secrets_updated_and_deleted()
    {
        var username = Unique("user");
        Assert.Equal(201, (await SendAsync(HttpMethod.Post, "/admin/users", new { username, password = "Listed-user-pass-1" })).Status);

        var listed = await SendAsync(HttpMethod.Get, "/admin/users");
        var entry = listed.Json["users"]!.AsArray().Single(u => (string?)u!["username"] == username)!;
        Assert.DoesNotContain("PasswordHash", listed.Json.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        var updated = await SendAsync(HttpMethod.Put, $"/admin/users/{username}", new { name = "Renamed", email = "r@example.com", emailVerified = true });
        Assert.Equal("Renamed", (string?)updated.Json["name"]);
        Assert.Equal(400, (await SendAsync(HttpMethod.Put, $"/admin/users/{username}", new { password = "weak" })).Status);

        Assert.Equal(204, (await SendAsync(HttpMethod.Delete, $"/admin/users/{username}")).Status);
        Assert.Equal(404, (await SendAsync(HttpMethod.Delete, $"/admin/users/{username}")).Status);
        Assert.DoesNotContain((await SendAsync(HttpMethod.Get, "/admin/users")).Json["users"]!.AsArray(), u => (string?)u!["id"] == (string?)entry["id"]);
    }

    [Fact]
    public async Task A_changed_email_is_unverified_unless_the_same_change_says_it_is_verified()
    {
        var username = Unique("mail");
        Assert.Equal(201, (await SendAsync(HttpMethod.Post, "/admin/users",
            new { username, password = "Mail-user-pass-1", email = username + "@example.com", emailVerified = true })).Status);

        var renamed = await SendAsync(HttpMethod.Put, $"/admin/users/{username}", new { name = "Same Mail", email = username.ToUpperInvariant() + "@EXAMPLE.COM" });
        var moved = await SendAsync(HttpMethod.Put, $"/admin/users/{username}", new { email = "elsewhere-" + username + "@example.com" });
        var vouched = await SendAsync(HttpMethod.Put, $"/admin/users/{username}", new { email = "vouched-" + username + "@example.com", emailVerified = true });

        Assert.True((bool?)renamed.Json["emailVerified"], "the same address in other letters stays verified");
        Assert.False((bool?)moved.Json["emailVerified"]);
        Assert.True((bool?)vouched.Json["emailVerified"]);
    }

    [Fact]
    public async Task The_catalog_endpoints_need_the_admin_scope()
    {
        var serviceToken = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;

        Assert.Equal(401, (await SendAsync(HttpMethod.Get, "/admin/clients", token: serviceToken)).Status);
        Assert.Equal(401, (await SendAsync(HttpMethod.Post, "/admin/apis", new { name = "x" }, token: "tsr_at_forged")).Status);
        using var bare = await Http.DeleteAsync("/admin/users/alice");
        Assert.Equal(401, (int)bare.StatusCode);
    }

    [Fact]
    public async Task An_openapi_description_of_the_admin_and_pat_apis_is_served()
    {
        var document = JsonNode.Parse(await Http.GetStringAsync("/openapi/v1.json"))!;

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/admin/clients", paths);
        Assert.Contains("/admin/clients/{clientId}", paths);
        Assert.Contains("/admin/keys/rotate", paths);
        Assert.Contains("/api/pats/{id}", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/connect", StringComparison.Ordinal));
        Assert.Equal("bearer", (string?)document["components"]!["securitySchemes"]!["bearer"]!["scheme"]);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class AdminCatalogTests_Sqlite(SqliteServerFixture f) : AdminCatalogTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class AdminCatalogTests_Postgres(PostgresServerFixture f) : AdminCatalogTests(f.Server);
