using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// APIs that verify HS256 tokens with their own shared secret (RFC 7518 §3.2): the secret is shown once, never
/// published, vouches only for its own API, and rotating it ends the tokens it signed.
/// </summary>
public abstract class SharedSecretApiTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task Resetting_the_signing_secret_shows_it_once_as_base64url_of_at_least_32_bytes()
    {
        var response = await ResetAsync("reports");

        Assert.Equal(200, response.Status);
        Assert.Equal("reports", (string?)response.Json["api"]);
        Assert.Equal("HS256", (string?)response.Json["alg"]);
        Assert.Equal("no-store", response.Http.Headers.CacheControl?.ToString());
        var secret = (string)response.Json["secret"]!;
        Assert.Matches("^[A-Za-z0-9_-]+$", secret);
        Assert.True(Base64UrlEncoder.DecodeBytes(secret).Length >= 32);
        Assert.NotEqual(secret, (string?)(await ResetAsync("reports")).Json["secret"]);
    }

    [Fact]
    public async Task A_reports_token_validates_with_its_own_secret_and_not_with_another_apis_secret()
    {
        var reportsSecret = await ResetSecretAsync("reports");
        var reportsTooSecret = await ResetSecretAsync("reports-too");
        var token = await TokenAsync("reports");

        Assert.Equal("HS256", (string?)Jwt.Header(token)["alg"]);
        Assert.Equal("api:reports", (string?)Jwt.Header(token)["kid"]);
        var own = await ValidateAsync(token, reportsSecret, ReportsAudience);
        Assert.True(own.IsValid, own.Exception?.Message);
        Assert.False((await ValidateAsync(token, reportsTooSecret, ReportsAudience)).IsValid);
    }

    [Fact]
    public async Task Neither_shared_secret_appears_in_the_jwks()
    {
        var reportsSecret = await ResetSecretAsync("reports");
        var reportsTooSecret = await ResetSecretAsync("reports-too");

        var body = await Http.GetStringAsync("/.well-known/jwks");

        var keys = new JsonWebKeySet(body).Keys;
        Assert.DoesNotContain(keys, k => k.Kty == JsonWebAlgorithmsKeyTypes.Octet || k.Kid.StartsWith("api:", StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.Alg is "HS256" or "HS384" or "HS512");
        Assert.DoesNotContain(reportsSecret, body);
        Assert.DoesNotContain(reportsTooSecret, body);
        Assert.DoesNotContain("\"k\"", body);
    }

    [Fact]
    public async Task A_reports_token_forged_with_the_reports_too_secret_is_inactive()
    {
        var reportsSecret = await ResetSecretAsync("reports");
        var reportsTooSecret = await ResetSecretAsync("reports-too");
        var payload = Jwt.Payload(await TokenAsync("reports"));

        var forged = Sign(payload, reportsTooSecret, "api:reports-too");
        var resigned = Sign(payload, reportsSecret, "api:reports");

        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, forged)).Active);
        // The same claims under the right secret are active: the forgery fails on the secret alone.
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, resigned)).Active);
    }

    [Fact]
    public async Task A_reports_token_forged_with_the_reports_too_secret_under_the_reports_kid_is_inactive()
    {
        var reportsTooSecret = await ResetSecretAsync("reports-too");
        var payload = Jwt.Payload(await TokenAsync("reports"));

        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, Sign(payload, reportsTooSecret, "api:reports"))).Active);
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, Sign(payload, reportsTooSecret, kid: null))).Active);
    }

    [Fact]
    public async Task An_hs256_token_keyed_with_a_published_rsa_key_is_inactive()
    {
        // Algorithm confusion: the public RSA key, which everyone can read, used as an HMAC secret.
        var rsaToken = await TokenAsync("message");
        var kid = (string)Jwt.Header(rsaToken)["kid"]!;
        var jwk = (await Jwt.FetchJwksAsync(Http)).Keys.Single(k => k.Kid == kid);
        var payload = Jwt.Payload(rsaToken);

        var forged = Sign(payload, Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(jwk.N)), kid);

        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, forged)).Active);
    }

    [Fact]
    public async Task One_token_for_two_shared_secret_apis_is_an_invalid_target()
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "reports reports-too");

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_target", response.Error);
    }

    [Fact]
    public async Task Rotating_a_secret_makes_tokens_signed_with_the_old_one_inactive()
    {
        var oldSecret = await ResetSecretAsync("reports");
        var before = await TokenAsync("reports");
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, before)).Active);

        var newSecret = await ResetSecretAsync("reports");

        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, before)).Active);
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, Sign(Jwt.Payload(before), oldSecret, "api:reports"))).Active);
        var after = await TokenAsync("reports");
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, after)).Active);
        Assert.True((await ValidateAsync(after, newSecret, ReportsAudience)).IsValid);
    }

    [Fact]
    public async Task An_api_signed_with_a_published_key_has_no_shared_secret_to_reset()
    {
        var response = await ResetAsync("messages");

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request", response.Error);
        var unknown = await ResetAsync("no-such-api");
        Assert.Equal(404, unknown.Status);
        Assert.Equal("no API of that name", unknown.ErrorDescription);
    }

    [Fact]
    public async Task Resetting_a_secret_needs_an_admin_token()
    {
        var anonymous = await AdminApi.PostAsync(Protocol, "/admin/apis/reports/signing-secret", token: null);
        var service = await AdminApi.PostAsync(Protocol, "/admin/apis/reports/signing-secret", await TokenAsync("reports"));

        Assert.Equal(401, anonymous.Status);
        Assert.False(anonymous.Json.ContainsKey("secret"));
        Assert.Equal(401, service.Status);
        Assert.Equal("invalid_token", service.Error);
    }

    private async Task<ProtocolResponse> ResetAsync(string api) =>
        await AdminApi.PostAsync(Protocol, $"/admin/apis/{api}/signing-secret", await AdminApi.TokenAsync(Protocol));

    private async Task<string> ResetSecretAsync(string api)
    {
        var response = await ResetAsync(api);
        Assert.Equal(200, response.Status);
        return (string)response.Json["secret"]!;
    }

    private async Task<string> TokenAsync(string scope)
    {
        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, scope);
        Assert.Equal(200, response.Status);
        return response.AccessToken;
    }

    private Task<TokenValidationResult> ValidateAsync(string token, string secret, string audience) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Server.Issuer,
            ValidAudience = audience,
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = ["HS256"],
            IssuerSigningKey = new SymmetricSecurityKey(Base64UrlEncoder.DecodeBytes(secret)) { KeyId = "api:reports" },
        });

    private static string Sign(JsonObject payload, string secret, string? kid) => Jwt.SignWithSharedSecret(payload, secret, kid);
}

[Collection(SqliteCollection.Name)]
public sealed class SharedSecretApiTests_Sqlite(SqliteServerFixture f) : SharedSecretApiTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class SharedSecretApiTests_Postgres(PostgresServerFixture f) : SharedSecretApiTests(f.Server);
