using System.Net.Http.Headers;
using System.Text;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Conformance;

/// <summary>RFC 6749 §5.2 error responses of the token endpoint, and client authentication (§2.3.1).</summary>
public abstract class Rfc6749TokenEndpointErrorTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task Wrong_secret_is_invalid_client_with_a_basic_challenge()
    {
        var response = await Protocol.ClientCredentialsAsync(Service, "not-the-secret-0123456789", "message");

        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_client", response.Error);
        Assert.StartsWith("Basic", response.Http.Headers.WwwAuthenticate.ToString());
        Assert.Equal("no-store", response.Http.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Unknown_client_gets_the_same_answer_as_a_wrong_secret()
    {
        var unknown = await Protocol.ClientCredentialsAsync("nobody", ServiceSecret, "message");
        var wrong = await Protocol.ClientCredentialsAsync(Service, "wrong-secret-0123456789", "message");

        Assert.Equal(401, unknown.Status);
        Assert.Equal("invalid_client", unknown.Error);
        Assert.Equal(wrong.ErrorDescription, unknown.ErrorDescription);
    }

    [Fact]
    public async Task Client_secret_post_is_accepted_without_a_challenge_on_failure()
    {
        var ok = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "client_credentials"), ("client_id", Service), ("client_secret", ServiceSecret), ("scope", "message"));
        var bad = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "client_credentials"), ("client_id", Service), ("client_secret", "wrong-secret-0123456789"));

        Assert.Equal(200, ok.Status);
        Assert.Equal(401, bad.Status);
        Assert.Equal("invalid_client", bad.Error);
        Assert.Empty(bad.Http.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Basic_credentials_are_form_urlencoded_before_base64()
    {
        // RFC 6749 §2.3.1: a secret with reserved characters is percent-encoded inside the header; raw it would not match.
        var raw = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Service}:{ServiceSecret}")));
        var response = await Protocol.PostAsync("/connect/token", raw, ("grant_type", "client_credentials"), ("scope", "message"));
        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task Two_authentication_methods_in_one_request_are_refused()
    {
        var response = await Protocol.PostAsync("/connect/token", ProtocolClient.Basic(Service, ServiceSecret),
            ("grant_type", "client_credentials"), ("client_id", Service), ("client_secret", ServiceSecret));
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task No_client_authentication_is_invalid_client()
    {
        var response = await Protocol.PostAsync("/connect/token", null, ("grant_type", "client_credentials"), ("client_id", Service));
        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_client", response.Error);
    }

    [Fact]
    public async Task Missing_grant_type_is_invalid_request()
    {
        var response = await Protocol.TokenAsync(Service, ServiceSecret, ("scope", "message"));
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request", response.Error);
        Assert.Equal("grant_type is required", response.ErrorDescription);
    }

    [Fact]
    public async Task Unknown_grant_type_is_unsupported_grant_type()
    {
        var response = await Protocol.TokenAsync(Service, ServiceSecret, ("grant_type", "password"), ("username", "alice"), ("password", "x"));
        Assert.Equal(400, response.Status);
        Assert.Equal("unsupported_grant_type", response.Error);
    }

    [Fact]
    public async Task A_client_not_registered_for_the_grant_is_unauthorized_client()
    {
        var response = await Protocol.ClientCredentialsAsync(NoClientCredentials, NoClientCredentialsSecret, "message");
        Assert.Equal(400, response.Status);
        Assert.Equal("unauthorized_client", response.Error);
    }

    [Fact]
    public async Task Repeated_parameters_are_invalid_request()
    {
        var response = await Protocol.TokenAsync(Service, ServiceSecret, ("grant_type", "client_credentials"), ("scope", "message"), ("scope", "ledger"));
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task A_json_body_is_invalid_request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new StringContent("{\"grant_type\":\"client_credentials\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = ProtocolClient.Basic(Service, ServiceSecret);
        var response = await Protocol.SendAsync(request);
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_before_it_is_read()
    {
        var response = await Protocol.TokenAsync(Service, ServiceSecret, ("grant_type", "client_credentials"), ("scope", new string('a', 200_000)));
        Assert.Equal(413, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task Get_on_the_token_endpoint_is_not_allowed()
    {
        var response = await Http.GetAsync("/connect/token?grant_type=client_credentials");
        Assert.Equal(405, (int)response.StatusCode);
    }

    [Fact]
    public async Task Errors_never_echo_the_secret()
    {
        var secret = "a-secret-that-must-not-leak-0123";
        var response = await Protocol.ClientCredentialsAsync(Service, secret, "message");
        Assert.DoesNotContain(secret, response.Json.ToJsonString());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class Rfc6749TokenEndpointErrorTests_Sqlite(SqliteServerFixture f) : Rfc6749TokenEndpointErrorTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class Rfc6749TokenEndpointErrorTests_Postgres(PostgresServerFixture f) : Rfc6749TokenEndpointErrorTests(f.Server);
