using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Server.Import;

namespace Tessera.Server.Tests.Security;

/// <summary>The roles part of the import file is checked like the rest: every problem at once, by JSON path.</summary>
public sealed class RoleImportValidationTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void An_import_that_names_an_unknown_role_or_a_permission_of_no_api_is_refused_by_json_path()
    {
        var import = RoleBasedAccessTests.Import();
        import["roles"]!.AsArray().Add(new JsonObject { ["name"] = "bad role", ["permissions"] = new JsonArray("nope", "tessera:pats") });
        import["users"]!.AsArray().Single(u => (string?)u!["username"] == RoleBasedAccessTests.Bob)!["roles"] = new JsonArray("ghost");
        import["users"]!.AsArray().Single(u => (string?)u!["username"] == RoleBasedAccessTests.Bob)!["attributes"] = new JsonObject { ["sub"] = "alice", ["team"] = new JsonObject() };
        import["apiResources"]!.AsArray()[0]!["userAccess"] = "everyone";

        var problems = ImportValidator.Validate(
            JsonSerializer.Deserialize<ImportDocument>(import.ToJsonString(), Web)!,
            "http://127.0.0.1:1");

        Assert.Contains("$.roles[2].name is required: letters, digits and . _ - :, at most 64 characters", problems);
        Assert.Contains("$.roles[2].permissions[0] 'nope' is not a scope of any API resource", problems);
        Assert.Contains("$.roles[2].permissions[1] 'tessera:pats' is not a scope of any API resource", problems);
        Assert.Contains(problems, p => p.EndsWith(".roles[0] 'ghost' is not a role of this file", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith(".attributes.sub is not an allowed attribute name (letters, digits, _ . -; not a claim the token writes itself)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith(".attributes.team must be a string, number, boolean, or an array of strings", StringComparison.Ordinal));
        Assert.Contains("$.apiResources[0].userAccess must be 'consent' or 'rbac'", problems);
    }

    [Fact]
    public void Admin_scopes_go_to_a_client_that_signs_users_in_only_when_it_is_marked_administration_and_never_with_token_exchange()
    {
        var import = AdministrativeClientTests.Import();
        var clients = import["clients"]!.AsArray();
        var marked = clients.Count - 1;
        clients.Add(new JsonObject
        {
            ["clientId"] = "unmarked", ["clientSecret"] = "unmarked-secret-0123456789-abcdefg", ["redirectUris"] = new JsonArray("https://app.example/cb"),
            ["grantTypes"] = new JsonArray("authorization_code"), ["scopes"] = new JsonArray("tessera:admin:users"),
        });
        clients.Add(new JsonObject
        {
            ["clientId"] = "exchanging", ["clientSecret"] = "exchanging-secret-0123456789-abcde", ["administration"] = true,
            ["grantTypes"] = new JsonArray("urn:ietf:params:oauth:grant-type:token-exchange"), ["scopes"] = new JsonArray("tessera:admin:read"),
        });
        clients.Add(new JsonObject
        {
            ["clientId"] = "pointless", ["clientSecret"] = "pointless-secret-0123456789-abcdef", ["administration"] = true,
            ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("message"),
        });

        var problems = ImportValidator.Validate(JsonSerializer.Deserialize<ImportDocument>(import.ToJsonString(), Web)!, "http://127.0.0.1:1");

        Assert.DoesNotContain(problems, p => p.StartsWith($"$.clients[{marked}]", StringComparison.Ordinal));
        Assert.Equal(
            [
                $"$.clients[{marked + 1}].scopes 'tessera:admin:users' is for administrative clients: a client that acts for users (authorization_code) needs \"administration\": true, and its users get only the admin permissions their roles carry",
                $"$.clients[{marked + 2}].scopes 'tessera:admin:read' is for administrative clients, not for a client that exchanges users' tokens (urn:ietf:params:oauth:grant-type:token-exchange)",
                $"$.clients[{marked + 3}].administration is true but scopes lists no tessera:admin scope for it to give",
            ],
            problems);
    }
}
