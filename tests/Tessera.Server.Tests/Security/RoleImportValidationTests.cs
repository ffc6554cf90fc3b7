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
}
