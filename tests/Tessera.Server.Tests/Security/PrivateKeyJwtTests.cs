using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>RFC 7523 §2.2 and §3: client authentication with a JWT signed by the client's own key (private_key_jwt).</summary>
public abstract class PrivateKeyJwtTests(TesseraServer server) : ServerTest(server)
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    [Fact]
    public async Task A_valid_assertion_gets_a_token()
    {
        var response = await RequestTokenAsync(Assertion());

        Assert.Equal(200, response.Status);
        Assert.Equal(KeyClient, (string?)Jwt.Payload(response.AccessToken)["client_id"]);
        Assert.Equal("message", (string?)response.Json["scope"]);
    }

    [Fact]
    public async Task The_token_endpoint_url_is_also_a_valid_audience()
    {
        var response = await RequestTokenAsync(Assertion(audience: Server.Issuer + "/connect/token"));

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task An_assertion_audience_array_with_the_token_endpoint_and_another_value_is_an_invalid_client()
    {
        // An assertion valid at several servers at once could be replayed by any of them here.
        var shared = Assertion(audiences: [Server.Issuer + "/connect/token", "https://other-server.example"]);

        AssertInvalidClient(await RequestTokenAsync(shared));
    }

    [Fact]
    public async Task An_assertion_audience_array_of_exactly_the_issuer_is_accepted()
    {
        var response = await RequestTokenAsync(Assertion(audiences: [Server.Issuer]));

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task A_replayed_assertion_is_an_invalid_client()
    {
        var assertion = Assertion();
        Assert.Equal(200, (await RequestTokenAsync(assertion)).Status);

        var replay = await RequestTokenAsync(assertion);

        AssertInvalidClient(replay);
    }

    [Fact]
    public async Task An_assertion_signed_by_another_key_is_an_invalid_client()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Assertion(signingKey: new ECDsaSecurityKey(otherKey) { KeyId = KeyClientSecurityKey.KeyId });

        AssertInvalidClient(await RequestTokenAsync(forged));
    }

    [Fact]
    public async Task An_unsigned_alg_none_assertion_is_an_invalid_client()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["iss"] = KeyClient, ["sub"] = KeyClient, ["aud"] = Server.Issuer,
            ["iat"] = now, ["exp"] = now + 120, ["jti"] = Guid.NewGuid().ToString("n"),
        };
        var unsigned = $"{Base64UrlEncoder.Encode(header.ToJsonString())}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.";

        AssertInvalidClient(await RequestTokenAsync(unsigned));
    }

    [Fact]
    public async Task An_assertion_for_another_audience_is_an_invalid_client()
    {
        AssertInvalidClient(await RequestTokenAsync(Assertion(audience: "https://other-server.example")));
    }

    [Fact]
    public async Task An_expired_assertion_is_an_invalid_client()
    {
        // Beyond the server's 30 s clock skew.
        var expired = Assertion(expires: DateTime.UtcNow.AddMinutes(-2), issuedAt: DateTime.UtcNow.AddMinutes(-5));

        AssertInvalidClient(await RequestTokenAsync(expired));
    }

    [Fact]
    public async Task An_assertion_living_longer_than_ten_minutes_is_an_invalid_client()
    {
        AssertInvalidClient(await RequestTokenAsync(Assertion(expires: DateTime.UtcNow.AddHours(1))));
    }

    [Fact]
    public async Task An_assertion_whose_issuer_is_not_the_client_is_an_invalid_client()
    {
        AssertInvalidClient(await RequestTokenAsync(Assertion(issuer: Service)));
    }

    [Fact]
    public async Task An_assertion_without_jti_is_an_invalid_client()
    {
        AssertInvalidClient(await RequestTokenAsync(Assertion(jti: null)));
    }

    [Fact]
    public async Task A_long_jti_is_accepted_once_on_every_database()
    {
        // RFC 7523 does not bound the jti; the replay check must not depend on the database's column size.
        var assertion = Assertion(jti: new string('j', 600) + Guid.NewGuid().ToString("n"));

        Assert.Equal(200, (await RequestTokenAsync(assertion)).Status);
        AssertInvalidClient(await RequestTokenAsync(assertion));
    }

    [Fact]
    public async Task A_client_id_that_differs_from_the_assertion_subject_is_an_invalid_client()
    {
        var response = await PostAsync(
            ("grant_type", "client_credentials"), ("client_id", Service),
            ("client_assertion_type", AssertionType), ("client_assertion", Assertion()));

        AssertInvalidClient(response);
    }

    [Fact]
    public async Task A_missing_client_assertion_type_is_an_invalid_client()
    {
        var response = await PostAsync(("grant_type", "client_credentials"), ("client_assertion", Assertion()));

        AssertInvalidClient(response);
    }

    [Fact]
    public async Task A_wrong_client_assertion_type_is_an_invalid_client()
    {
        var response = await PostAsync(
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"),
            ("client_assertion", Assertion()));

        AssertInvalidClient(response);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln")]
    [InlineData("e30.e30.c2ln")]
    public async Task A_malformed_assertion_is_an_invalid_client_not_a_server_error(string assertion)
    {
        AssertInvalidClient(await RequestTokenAsync(assertion));
    }

    [Fact]
    public async Task An_assertion_together_with_a_client_secret_is_an_invalid_request()
    {
        var response = await PostAsync(
            ("grant_type", "client_credentials"), ("client_id", KeyClient), ("client_secret", ServiceSecret),
            ("client_assertion_type", AssertionType), ("client_assertion", Assertion()));

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task An_assertion_authenticates_at_the_introspection_endpoint_too()
    {
        var token = (await RequestTokenAsync(Assertion())).AccessToken;

        var response = await Protocol.PostAsync("/connect/introspect", null,
            ("token", token), ("client_assertion_type", AssertionType),
            ("client_assertion", Assertion(audience: Server.Issuer + "/connect/introspect")));

        Assert.Equal(200, response.Status);
        Assert.True(response.Active);
    }

    private Task<ProtocolResponse> RequestTokenAsync(string assertion) =>
        PostAsync(("grant_type", "client_credentials"), ("client_assertion_type", AssertionType), ("client_assertion", assertion));

    private Task<ProtocolResponse> PostAsync(params (string Name, string Value)[] parameters) =>
        Protocol.PostAsync("/connect/token", null, parameters);

    private static void AssertInvalidClient(ProtocolResponse response)
    {
        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_client", response.Error);
    }

    /// <summary>RFC 7523 §3: iss = sub = client_id, aud = the authorization server, a near exp, and a jti.</summary>
    private string Assertion(
        string? audience = null, string issuer = KeyClient, DateTime? expires = null, DateTime? issuedAt = null,
        string? jti = "", SecurityKey? signingKey = null, string[]? audiences = null)
    {
        var iat = issuedAt ?? DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["sub"] = KeyClient };
        if (jti is not null) claims["jti"] = jti.Length == 0 ? Guid.NewGuid().ToString("n") : jti;
        if (audiences is not null) claims["aud"] = audiences;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audiences is null ? audience ?? Server.Issuer : null,
            Claims = claims,
            IssuedAt = iat,
            NotBefore = iat,
            Expires = expires ?? DateTime.UtcNow.AddMinutes(2),
            SigningCredentials = new SigningCredentials(signingKey ?? KeyClientSecurityKey, SecurityAlgorithms.EcdsaSha256),
        });
    }
}

[Collection(SqliteCollection.Name)]
public sealed class PrivateKeyJwtTests_Sqlite(SqliteServerFixture f) : PrivateKeyJwtTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class PrivateKeyJwtTests_Postgres(PostgresServerFixture f) : PrivateKeyJwtTests(f.Server);
