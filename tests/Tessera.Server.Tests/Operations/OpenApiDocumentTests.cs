using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// /openapi/v1.json describes every operation of the admin, PAT and provider-token APIs with every status it can answer:
/// its own (from the endpoints' typed results) and its policy's 401 and 403 (RFC 6750 §3.1), each error with the
/// error/error_description body. An operation added, removed or answering a new status fails here until it is listed.
/// </summary>
public abstract class OpenApiDocumentTests(TesseraServer server) : ServerTest(server)
{
    private const string Refusals = "401 403";

    /// <summary>"METHOD path" → its statuses, the policy's refusals included.</summary>
    public static TheoryData<string, string> Operations => new()
    {
        { "GET /admin/keys", "200" },
        { "GET /admin/audit", "200 400" },
        { "POST /admin/keys/rotate", "200 400" },
        { "GET /admin/clients", "200" },
        { "POST /admin/clients", "201 400" },
        { "GET /admin/clients/{clientId}", "200 404" },
        { "PUT /admin/clients/{clientId}", "200 400 404" },
        { "DELETE /admin/clients/{clientId}", "204 404" },
        { "GET /admin/apis", "200" },
        { "POST /admin/apis", "201 400" },
        { "GET /admin/apis/{name}", "200 404" },
        { "PUT /admin/apis/{name}", "200 400 404" },
        { "DELETE /admin/apis/{name}", "204 400 404" },
        { "POST /admin/apis/{name}/signing-secret", "200 400 404" },
        { "GET /admin/roles", "200" },
        { "POST /admin/roles", "201 400" },
        { "GET /admin/roles/{name}", "200 404" },
        { "PUT /admin/roles/{name}", "200 400 404" },
        { "DELETE /admin/roles/{name}", "204 400 404" },
        { "GET /admin/users/{username}/roles", "200 404" },
        { "PUT /admin/users/{username}/roles", "200 400 404" },
        { "GET /admin/users", "200" },
        { "POST /admin/users", "201 400" },
        { "PUT /admin/users/{username}", "200 400 404" },
        { "DELETE /admin/users/{username}", "204 400 404" },
        { "POST /admin/users/{username}/disable", "200 400 404" },
        { "POST /admin/users/{username}/enable", "200 400 404" },
        { "POST /admin/users/{username}/revoke", "204 404" },
        { "POST /admin/users/{username}/reset-mfa", "200 400 404" },
        { "GET /api/pats", "200" },
        { "POST /api/pats", "201 400" },
        { "DELETE /api/pats/{id}", "204 404" },
        { "GET /api/users/{sub}/identities/{provider}/token", "200 403 404" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Each_operation_lists_its_success_and_error_statuses(string operation, string statuses)
    {
        var (method, path) = (operation.Split(' ')[0], operation.Split(' ')[1]);
        var document = await DocumentAsync();

        var described = document["paths"]?[path]?[method.ToLowerInvariant()]?["responses"]?.AsObject();

        Assert.True(described is not null, $"{operation} is not in /openapi/v1.json");
        var expected = $"{statuses} {Refusals}".Split(' ').Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expected, described.Select(r => r.Key).Order(StringComparer.Ordinal));
        foreach (var (status, response) in described.Where(r => r.Key[0] is '2' && r.Key != "204"))
            Assert.True(response!["content"]?["application/json"]?["schema"] is not null, $"{operation} {status} has no JSON body described");
        foreach (var (status, response) in described.Where(r => r.Key[0] is '4'))
        {
            var schema = response!["content"]?["application/json"]?["schema"];
            Assert.True(schema is not null, $"{operation} {status} has no JSON body described");
            Assert.Contains("error_description", Resolve(document, schema)["properties"]!.AsObject().Select(p => p.Key));
        }
    }

    [Fact]
    public async Task No_other_operation_is_described()
    {
        var document = await DocumentAsync();

        var described = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "delete" or "patch").Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"));

        Assert.Equal(Operations.Select(o => (string)o[0]).Order(StringComparer.Ordinal), described.Order(StringComparer.Ordinal));
    }

    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await Http.GetStringAsync("/openapi/v1.json"))!;

    /// <summary>A schema inline or by "#/components/schemas/…" reference.</summary>
    private static JsonNode Resolve(JsonNode document, JsonNode schema) =>
        (string?)schema["$ref"] is { } reference ? document["components"]!["schemas"]![reference.Split('/')[^1]]! : schema;
}

[Collection(SqliteCollection.Name)]
public sealed class OpenApiDocumentTests_Sqlite(SqliteServerFixture f) : OpenApiDocumentTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class OpenApiDocumentTests_Postgres(PostgresServerFixture f) : OpenApiDocumentTests(f.Server);
