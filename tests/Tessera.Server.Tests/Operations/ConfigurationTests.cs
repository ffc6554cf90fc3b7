using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Operations;

public sealed class ConfigurationTests
{
    private static JsonObject MinimalImport() => new()
    {
        ["apiResources"] = new JsonArray(new JsonObject { ["name"] = "a", ["audience"] = "https://a.example", ["scopes"] = new JsonArray("a") }),
        ["clients"] = new JsonArray(new JsonObject
        {
            ["clientId"] = "c", ["clientSecret"] = "c-secret-0123456789abcdef", ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("a"),
        }),
    };

    [Theory]
    [InlineData("http://id.example.com", "plain HTTP on a non-loopback host")]
    [InlineData("https://id.example.com/?tenant=1", "a query")]
    [InlineData("not a url", "not an absolute URL")]
    public async Task A_bad_issuer_stops_the_start_with_a_clear_message(string issuer, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TesseraServer.StartAsync(DatabaseKind.Sqlite, MinimalImport(), new Dictionary<string, string?> { ["Tessera:Issuer"] = issuer }));
        Assert.Contains(expected, error.Message);
        Assert.Contains("Tessera:Issuer", error.Message);
    }

    [Fact]
    public async Task Every_configuration_problem_is_reported_at_once()
    {
        // Bounds (attributes, the generated validator) and rules (code) fail together, in one start failure.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TesseraServer.StartAsync(DatabaseKind.Sqlite, MinimalImport(), new Dictionary<string, string?>
            {
                ["Tessera:Keys:RotationPeriod"] = "00:00:00",
                ["Tessera:Housekeeping:BatchSize"] = "0",
                ["Tessera:PersonalAccessTokens:MaxLifetime"] = "00:10:00",
                ["Tessera:Issuer"] = "http://id.example.com",
                ["Tessera:RateLimits:TokenRequestsPerClient:PermitLimit"] = "5",
                ["Tessera:RateLimits:TokenRequestsPerClient:Window"] = "2.00:00:00",
                ["Tessera:ForwardedHeaders:KnownProxies:0"] = "proxy.example.com",
            }));
        Assert.Contains("Tessera:Keys:RotationPeriod must be positive.", error.Message);
        Assert.Contains("Tessera:Keys:PrepublishPeriod must be at least zero and shorter than RotationPeriod.", error.Message);
        Assert.Contains("Tessera:Housekeeping:BatchSize must be between 1 and 100000.", error.Message);
        Assert.Contains("Tessera:PersonalAccessTokens:MaxLifetime must be between 1 day and 3660 days.", error.Message);
        Assert.Contains("Tessera:Issuer 'http://id.example.com' uses plain HTTP on a non-loopback host", error.Message);
        Assert.Contains("Tessera:RateLimits:TokenRequestsPerClient:Window must be between 1 second and 1 day.", error.Message);
        Assert.Contains("Tessera:ForwardedHeaders:KnownProxies 'proxy.example.com' is not an IP address.", error.Message);
        Assert.Equal(7, error.Failures.Count());
    }

    [Fact]
    public async Task Every_external_provider_problem_is_reported_at_once_and_no_secret_is_echoed()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TesseraServer.StartAsync(DatabaseKind.Sqlite, MinimalImport(), new Dictionary<string, string?>
            {
                ["Tessera:ExternalProviders:corp:Type"] = "oidc",
                ["Tessera:ExternalProviders:corp:ClientId"] = "tessera",
                ["Tessera:ExternalProviders:corp:ClientSecret"] = "very-secret-value-123",
                ["Tessera:ExternalProviders:Bad Name:Type"] = "myspace",
                ["Tessera:ExternalProviders:wechat:Type"] = "wechat",
                ["Tessera:ExternalProviders:wechat:ClientId"] = "wx1",
                ["Tessera:ExternalProviders:wechat:ClientSecret"] = "another-secret-456",
                ["Tessera:ExternalProviders:wechat:TokenEndpoint"] = "http://wechat.example/sns/oauth2/access_token",
            }));
        Assert.Contains("Tessera:ExternalProviders:corp:Authority is required", error.Message);
        Assert.Contains("Tessera:ExternalProviders:Bad Name: the provider name must be", error.Message);
        Assert.Contains("Tessera:ExternalProviders:Bad Name:Type must be one of", error.Message);
        Assert.Contains("Tessera:ExternalProviders:Bad Name:ClientSecret is required", error.Message);
        Assert.Contains("Tessera:ExternalProviders:wechat:TokenEndpoint must be https", error.Message);
        Assert.DoesNotContain("very-secret-value-123", error.Message);
        Assert.DoesNotContain("another-secret-456", error.Message);
    }

    [Fact]
    public async Task An_issuer_with_a_path_serves_every_endpoint_under_that_path()
    {
        await using var server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, MinimalImport(), new Dictionary<string, string?>
        {
            ["Tessera:Issuer"] = "http://127.0.0.1/oidc",
        });
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);

        var metadata = JsonNode.Parse(await http.GetStringAsync("/oidc/.well-known/openid-configuration"))!;
        // RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path.
        var rfc8414 = JsonNode.Parse(await http.GetStringAsync("/.well-known/oauth-authorization-server/oidc"))!;
        var token = await protocol.PostAsync("/oidc/connect/token", ProtocolClient.Basic("c", "c-secret-0123456789abcdef"), ("grant_type", "client_credentials"));

        Assert.Equal("http://127.0.0.1/oidc", (string?)metadata["issuer"]);
        Assert.Equal("http://127.0.0.1/oidc/connect/token", (string?)metadata["token_endpoint"]);
        Assert.Equal("http://127.0.0.1/oidc", (string?)rfc8414["issuer"]);
        Assert.Equal(200, token.Status);
        Assert.Equal("http://127.0.0.1/oidc", (string?)Jwt.Payload(token.AccessToken)["iss"]);
        Assert.Equal(404, (int)(await http.PostAsync("/connect/token", null)).StatusCode);
    }
}
