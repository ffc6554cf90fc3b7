using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Import;
using Tessera.Server.Storage;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// The declarative import applied at start: strict (a mistake stops the start and names its field), complete (every
/// mistake in one report), atomic, and idempotent (applying the same file again changes nothing).
/// </summary>
public abstract class ImportTests(DatabaseKind kind)
{
    [Fact]
    public async Task An_unknown_field_stops_the_start_and_names_its_path()
    {
        var import = StandardImport();
        import["clients"]![0]!["secretz"] = "x";

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(kind, import));

        Assert.Contains("$.clients[0].secretz", e.Message);
        Assert.Contains("unknown field", e.Message);
    }

    [Fact]
    public async Task Every_unknown_field_is_named_at_once_and_free_form_attributes_are_not_fields()
    {
        var import = StandardImport();
        import["clients"]![0]!["secretz"] = "x";
        import["clients"]![1]!["redirect_uris"] = new System.Text.Json.Nodes.JsonArray("https://app.example/cb");
        import["apiResources"]![0]!["scope"] = "message";
        import["tenants"] = new System.Text.Json.Nodes.JsonArray();

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(kind, import));

        Assert.Equal(4, e.Problems.Count);
        Assert.All(e.Problems, problem => Assert.Contains(": unknown field at $.", problem, StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.EndsWith("$.clients[0].secretz", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.EndsWith("$.clients[1].redirect_uris", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.EndsWith("$.apiResources[0].scope", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.EndsWith("$.tenants", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_stops_the_start_and_names_its_path()
    {
        var import = StandardImport();
        import["apiResources"]![0]!["accessTokenLifetime"] = "soon";

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(kind, import));

        Assert.Contains("$.apiResources[0].accessTokenLifetime", e.Message);
    }

    [Theory]
    [InlineData("apiResources", "$.apiResources[0]")]
    [InlineData("clients", "$.clients[0]")]
    [InlineData("users", "$.users[0]")]
    public async Task A_null_entry_is_reported_by_its_path(string list, string path)
    {
        var import = StandardImport();
        import[list]![0] = null;

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(kind, import));

        Assert.Contains(e.Problems, p => p.StartsWith(path + " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_null_scope_is_reported_by_its_path()
    {
        var import = StandardImport();
        import["apiResources"]![0]!["scopes"]!.AsArray().Add(null);
        import["clients"]![0]!["scopes"]!.AsArray().Add(null);
        import["clients"]![0]!["grantTypes"]!.AsArray().Add(null);

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(kind, import));

        Assert.Contains(e.Problems, p => p.StartsWith("$.apiResources[0].scopes[2] ", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("$.clients[0].scopes[10] ", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("$.clients[0].grantTypes[1] ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_invalid_value_is_reported_in_one_exception()
    {
        var import = StandardImport();
        var apis = import["apiResources"]!.AsArray();
        var clients = import["clients"]!.AsArray();
        apis[0]!["accessTokenFormat"] = "paseto";
        apis[1]!["audience"] = "not a uri";
        apis[2]!["scopes"]!.AsArray().Add("message");                 // messages owns it already
        clients[0]!["clientSecret"] = "too-short";
        clients[1]!["scopes"]!.AsArray().Add("no-api-has-this");

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(kind, import));

        string[] paths =
        [
            "$.apiResources[0].accessTokenFormat", "$.apiResources[1].audience", "$.apiResources[2].scopes[1]",
            "$.clients[0].clientSecret", "$.clients[1].scopes[2]",
        ];
        Assert.Equal(paths.Length, e.Problems.Count);
        foreach (var path in paths)
        {
            Assert.Contains(e.Problems, p => p.StartsWith(path + " ", StringComparison.Ordinal));
            Assert.Contains(path, e.Message);
        }
    }

    [Theory]
    [InlineData("/messages")]
    [InlineData("//api.example/messages")]
    [InlineData("https://api.example/messages#part")]
    [InlineData("messages")]
    public async Task An_audience_that_is_not_an_absolute_uri_is_reported(string audience)
    {
        var import = StandardImport();
        import["apiResources"]![0]!["audience"] = audience;

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(kind, import));

        Assert.Contains(e.Problems, p => p.StartsWith("$.apiResources[0].audience ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_issuer_cannot_be_claimed_as_an_api_audience()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var issuer = "http://127.0.0.1:1";
        var import = StandardImport();
        import["apiResources"]![0]!["audience"] = issuer;

        var e = await Assert.ThrowsAsync<ImportException>(() =>
            TesseraServer.StartAsync(database, import, new Dictionary<string, string?> { ["Tessera:Issuer"] = issuer }));

        Assert.Contains(e.Problems, p => p.StartsWith("$.apiResources[0].audience ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("authorization_code")]
    [InlineData("urn:ietf:params:oauth:grant-type:device_code")]
    [InlineData("urn:ietf:params:oauth:grant-type:token-exchange")]
    public async Task The_admin_scope_is_refused_on_a_client_that_acts_for_users(string grantType)
    {
        // Otherwise every user who consents to that client hands it an administrator's token.
        var import = StandardImport();
        import["clients"]!.AsArray().Add(new JsonObject
        {
            ["clientId"] = "admin-for-users", ["clientSecret"] = "admin-for-users-secret-0123456789",
            ["grantTypes"] = new JsonArray(grantType), ["redirectUris"] = new JsonArray("https://app.example/callback"),
            ["scopes"] = new JsonArray("openid", "tessera:admin"),
        });

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(kind, import));

        Assert.Contains(e.Problems, p => p.StartsWith("$.clients[", StringComparison.Ordinal) && p.Contains("'tessera:admin' is for administrative clients"));
    }

    [Fact]
    public async Task Applying_the_same_import_twice_leaves_one_row_each_and_tokens_keep_working()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        string jwt, opaque, shared;
        Dictionary<string, string?> sameIssuer;
        await using (var first = await TesseraServer.StartAsync(database, StandardImport()))
        {
            var protocol = new ProtocolClient(first.CreateClient());
            jwt = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
            opaque = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "ledger")).AccessToken;
            shared = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "reports")).AccessToken;
            sameIssuer = new() { ["Tessera:Issuer"] = first.Issuer };
        }

        await using var second = await TesseraServer.StartAsync(database, StandardImport(), sameIssuer);

        await using (var scope = second.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            Assert.Equal(9, await db.ApiResources.CountAsync());
            Assert.Equal(6, await db.Clients.CountAsync());
            Assert.Equal(1, await db.Users.CountAsync());
            Assert.Equal(1, await db.Clients.CountAsync(c => c.ClientId == Service));
        }
        var again = new ProtocolClient(second.CreateClient());
        Assert.Equal(200, (await again.ClientCredentialsAsync(Service, ServiceSecret, "message")).Status);
        Assert.Equal(200, (await again.ClientCredentialsAsync(TestClients.Admin, AdminSecret, "tessera:admin")).Status);
        // Keys, the client-secret key and every shared API secret survived: tokens from before the restart are active.
        Assert.True((await again.IntrospectAsync(Other, OtherSecret, jwt)).Active);
        Assert.True((await again.IntrospectAsync(Other, OtherSecret, opaque)).Active);
        Assert.True((await again.IntrospectAsync(Other, OtherSecret, shared)).Active);
    }

    [Fact]
    public async Task A_changed_client_secret_in_the_next_import_replaces_the_old_one_with_import_overwrite_credentials()
    {
        const string newSecret = "svc-new-secret-0123456789-abcdefg";
        await using var database = await TestDatabase.CreateAsync(kind);
        await using (await TesseraServer.StartAsync(database, StandardImport()))
        {
        }
        var changed = StandardImport();
        changed["clients"]![0]!["clientSecret"] = newSecret;

        await using var server = await TesseraServer.StartAsync(database, changed,
            new Dictionary<string, string?> { ["Tessera:ImportOverwriteCredentials"] = "true" });
        var protocol = new ProtocolClient(server.CreateClient());

        var old = await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message");
        Assert.Equal(401, old.Status);
        Assert.Equal("invalid_client", old.Error);
        Assert.Equal(200, (await protocol.ClientCredentialsAsync(Service, newSecret, "message")).Status);
    }

    [Fact]
    public async Task An_import_that_fails_while_applying_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using (await TesseraServer.StartAsync(database, StandardImport()))
        {
        }
        // Valid JSON and valid fields, but the password fails Identity's rules only while the import is applied.
        var failing = StandardImport();
        failing["clients"]!.AsArray().Add(new JsonObject
        {
            ["clientId"] = "late", ["clientSecret"] = "late-secret-0123456789-abcdefghij",
            ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("message"),
        });
        failing["users"]!.AsArray().Add(new JsonObject { ["username"] = "bob", ["password"] = "x" });

        var e = await Assert.ThrowsAsync<ImportException>(() => TesseraServer.StartAsync(database, failing));
        Assert.Contains(e.Problems, p => p.StartsWith("user 'bob'", StringComparison.Ordinal));

        await using var server = await TesseraServer.StartAsync(database, StandardImport());
        var late = await new ProtocolClient(server.CreateClient()).ClientCredentialsAsync("late", "late-secret-0123456789-abcdefghij", "message");
        Assert.Equal(401, late.Status);
        Assert.Equal("invalid_client", late.Error);
    }
}

public sealed class ImportTests_Sqlite() : ImportTests(DatabaseKind.Sqlite);

public sealed class ImportTests_Postgres() : ImportTests(DatabaseKind.Postgres);
