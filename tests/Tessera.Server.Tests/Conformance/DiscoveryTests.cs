using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Conformance;

/// <summary>RFC 8414 and OpenID Connect Discovery metadata.</summary>
public abstract class DiscoveryTests(TesseraServer server) : ServerTest(server)
{
    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/oauth-authorization-server")]
    public async Task Metadata_names_the_issuer_and_endpoints_that_really_answer(string path)
    {
        var json = JsonNode.Parse(await Http.GetStringAsync(path))!.AsObject();

        // RFC 8414 §3.3: the issuer in the metadata must be identical to the issuer the client asked about.
        Assert.Equal(Server.Issuer, (string?)json["issuer"]);
        Assert.Contains("client_credentials", json["grant_types_supported"]!.AsArray().Select(g => (string?)g));
        Assert.Contains("private_key_jwt", json["token_endpoint_auth_methods_supported"]!.AsArray().Select(g => (string?)g));
        Assert.DoesNotContain("none", json["token_endpoint_auth_signing_alg_values_supported"]!.AsArray().Select(g => (string?)g));

        var jwks = await Http.GetAsync(new Uri((string)json["jwks_uri"]!).PathAndQuery);
        Assert.Equal(200, (int)jwks.StatusCode);
        foreach (var endpoint in new[] { "token_endpoint", "introspection_endpoint", "revocation_endpoint" })
        {
            // Each advertised endpoint exists: an unauthenticated POST gets an OAuth error, not a 404.
            var response = await Protocol.PostAsync(new Uri((string)json[endpoint]!).PathAndQuery, null, ("token", "x"));
            Assert.Equal(401, response.Status);
            Assert.Equal("invalid_client", response.Error);
        }
    }

    [Fact]
    public async Task Metadata_says_request_objects_are_supported_and_request_uri_by_reference_is_not()
    {
        var json = JsonNode.Parse(await Http.GetStringAsync("/.well-known/openid-configuration"))!.AsObject();

        // RFC 9101 signed request objects by value; OIDC Discovery §3: request_uri_parameter_supported defaults to true
        // when absent, so it must be spelled out (a request_uri is only ever a pushed request's).
        Assert.True((bool)json["request_parameter_supported"]!);
        Assert.False((bool)json["request_uri_parameter_supported"]!);
    }

    [Fact]
    public async Task Concurrent_requests_after_a_catalog_change_all_get_one_complete_document_of_the_new_catalog()
    {
        var api = "disc" + Guid.NewGuid().ToString("n")[..8];
        var created = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/apis",
            new { name = api, audience = $"https://api.example/{api}", scopes = new[] { api + ":read" } });
        Assert.Equal(201, created.Status);

        var bodies = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Http.GetStringAsync("/.well-known/openid-configuration")));

        Assert.Single(bodies.Distinct());
        var scopes = JsonNode.Parse(bodies[0])!["scopes_supported"]!.AsArray().Select(s => (string?)s);
        Assert.Contains(api + ":read", scopes);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class DiscoveryTests_Sqlite(SqliteServerFixture f) : DiscoveryTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class DiscoveryTests_Postgres(PostgresServerFixture f) : DiscoveryTests(f.Server);
