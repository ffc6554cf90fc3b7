using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Server.Import;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Pages;

/// <summary>
/// Issue 20: a scope in the import may be an object with per-language <c>displayNames</c>; only languages the pages
/// speak, each a short line of text, and the admin API shows and takes the same form.
/// </summary>
public abstract class ScopeDisplayNamesTests(TesseraServer server) : ServerTest(server)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_admin_api_shows_a_described_scope_as_an_object_and_a_plain_one_as_its_name()
    {
        var api = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Get, "/admin/apis/notes", null);

        Assert.Equal(200, api.Status);
        var scopes = api.Json["scopes"]!.AsArray();
        Assert.Equal(PeopleImport.NotesRead, (string?)scopes[0]!["name"]);
        Assert.Equal(PeopleImport.NotesReadInChinese, (string?)scopes[0]!["displayNames"]!["zh-CN"]);
        Assert.Equal("notes:write", (string?)scopes[1]);
    }

    [Theory]
    [InlineData("fr", "Lire vos notes", "which the pages do not speak")]
    [InlineData("zh-CN", "", "must be 1 to 200 characters")]
    [InlineData("zh-CN", "line\nbreak", "must be 1 to 200 characters")]
    public async Task The_admin_api_refuses_display_names_the_pages_could_not_show_and_changes_nothing(string language, string text, string problem)
    {
        var body = new JsonObject
        {
            ["name"] = "described-" + Guid.NewGuid().ToString("n")[..8], ["audience"] = "https://described-" + Guid.NewGuid().ToString("n")[..8] + ".example",
            ["scopes"] = new JsonArray(new JsonObject { ["name"] = "described:" + Guid.NewGuid().ToString("n")[..8], ["displayNames"] = new JsonObject { [language] = text } }),
        };

        var created = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/apis", body);

        Assert.Equal(400, created.Status);
        Assert.Contains(problem, created.Json.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(404, (await AdminApi.SendJsonAsync(Protocol, HttpMethod.Get, "/admin/apis/" + (string)body["name"]!, null)).Status);
    }

    [Fact]
    public void The_import_refuses_unknown_languages_long_texts_and_objects_with_other_properties()
    {
        var import = TestClients.StandardImport();
        var scopes = import["apiResources"]!.AsArray()[0]!["scopes"]!.AsArray();
        scopes.Add(new JsonObject { ["name"] = "worded", ["displayNames"] = new JsonObject { ["de"] = "Lesen", ["en"] = new string('x', 201) } });

        var problems = ImportValidator.Validate(JsonSerializer.Deserialize<ImportDocument>(import.ToJsonString(), Web)!, "http://127.0.0.1:1");

        var at = $"$.apiResources[0].scopes[{scopes.Count - 1}].displayNames";
        Assert.Contains($"{at} has the language 'de', which the pages do not speak (they speak en, zh-CN)", problems);
        Assert.Contains($"{at}.en must be 1 to 200 characters of text without control characters", problems);
        scopes.Add(new JsonObject { ["name"] = "odd", ["description"] = "not a property of a scope" });
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ImportDocument>(import.ToJsonString(), Web));
        scopes.RemoveAt(scopes.Count - 1);
        scopes.Add(new JsonObject { ["name"] = 5 });
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ImportDocument>(import.ToJsonString(), Web));
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class ScopeDisplayNamesTests_Sqlite(SqlitePeopleFixture f) : ScopeDisplayNamesTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class ScopeDisplayNamesTests_Postgres(PostgresPeopleFixture f) : ScopeDisplayNamesTests(f.Server);
