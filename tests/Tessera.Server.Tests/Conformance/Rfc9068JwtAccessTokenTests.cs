using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Conformance;

public abstract class Rfc9068JwtAccessTokenTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task Client_credentials_token_verifies_against_the_published_jwks()
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message");

        Assert.Equal(200, response.Status);
        Assert.Equal("Bearer", (string?)response.Json["token_type"]);
        Assert.Equal(900, (int?)response.Json["expires_in"]);
        Assert.Equal("message", (string?)response.Json["scope"]);
        Assert.Equal("no-store", response.Http.Headers.CacheControl?.ToString());
        var result = await Jwt.ValidateAsync(response.AccessToken, Http, Server.Issuer, MessagesAudience);
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task Header_and_claims_follow_rfc_9068()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message message:write")).AccessToken;

        var header = Jwt.Header(token);
        Assert.Equal("RS256", (string?)header["alg"]);
        Assert.Equal("at+jwt", (string?)header["typ"]);
        Assert.False(string.IsNullOrEmpty((string?)header["kid"]));

        var payload = Jwt.Payload(token);
        Assert.Equal(Server.Issuer, (string?)payload["iss"]);
        Assert.Equal(Service, (string?)payload["sub"]);
        Assert.Equal(Service, (string?)payload["client_id"]);
        Assert.Equal(MessagesAudience, (string?)payload["aud"]);
        Assert.Equal("message message:write", (string?)payload["scope"]);
        Assert.False(string.IsNullOrEmpty((string?)payload["jti"]));
        Assert.Equal(900, (long)payload["exp"]! - (long)payload["iat"]!);
        // No private claims beyond what an API needs.
        Assert.Equal(["aud", "client_id", "exp", "iat", "iss", "jti", "scope", "sub"], payload.Select(p => p.Key).Order().ToArray());
    }

    [Theory]
    [InlineData("ec", "ES256", EcAudience)]
    [InlineData("pss", "PS256", PssAudience)]
    public async Task An_api_chooses_its_signing_algorithm(string scope, string alg, string audience)
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, scope)).AccessToken;

        Assert.Equal(alg, (string?)Jwt.Header(token)["alg"]);
        var result = await Jwt.ValidateAsync(token, Http, Server.Issuer, audience);
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task Jwks_publishes_public_keys_only_with_a_cache_header()
    {
        var response = await Http.GetAsync("/.well-known/jwks");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/jwk-set+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age", response.Headers.CacheControl?.ToString());
        var keys = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(body).Keys;
        Assert.Contains(keys, k => k.Alg == "RS256");
        Assert.Contains(keys, k => k.Alg == "ES256");
        Assert.Contains(keys, k => k.Alg == "PS256");
        Assert.All(keys, k => Assert.False(k.HasPrivateKey));
        Assert.DoesNotContain("\"d\"", body);
        Assert.DoesNotContain("\"k\"", body);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class Rfc9068JwtAccessTokenTests_Sqlite(SqliteServerFixture f) : Rfc9068JwtAccessTokenTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class Rfc9068JwtAccessTokenTests_Postgres(PostgresServerFixture f) : Rfc9068JwtAccessTokenTests(f.Server);
