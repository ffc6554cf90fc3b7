using System.Net.Http.Headers;
using System.Net.Http.Json;
using Duende.IdentityModel.Client;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using ProtocolResponse = Tessera.Testing.ProtocolResponse;

namespace Tessera.Server.Tests.Registration;

/// <summary>
/// RFC 7592 §2.2: an update that changes token_endpoint_auth_method between none and a confidential method. Becoming
/// confidential, the client gets a secret in the answer, and that secret authenticates it; becoming public, the secret
/// it had authenticates nobody any more (a leaked one must not outlive the change).
/// </summary>
public abstract class RegistrationAuthMethodChangeTests(TesseraServer server) : ServerTest(server)
{
    private const string Redirect = "https://app.example/callback";

    [Fact]
    public async Task A_public_client_that_becomes_confidential_gets_a_secret_that_authenticates_it()
    {
        var registered = await RegisterAsync("none");
        Assert.Null(registered.ClientSecret);

        var updated = await UpdateAsync(registered, "client_secret_basic");
        var secret = (string?)updated.Json["client_secret"];

        Assert.Equal(200, updated.Status);
        Assert.Equal("client_secret_basic", (string?)updated.Json["token_endpoint_auth_method"]);
        Assert.False(string.IsNullOrEmpty(secret));
        Assert.Equal(0, (long?)updated.Json["client_secret_expires_at"]);
        // Authenticated: the code is what is wrong, not the client.
        Assert.Equal("invalid_grant", (await CodeWithSecretAsync(registered.ClientId!, secret!)).Error);
        Assert.Equal("invalid_client", (await CodeWithSecretAsync(registered.ClientId!, "guessed-secret")).Error);
        // The secret is shown once: reading the registration does not repeat it.
        Assert.Null((await ManageAsync(HttpMethod.Get, registered.ClientId!, registered.RegistrationAccessToken!)).Json["client_secret"]);
    }

    [Fact]
    public async Task A_confidential_client_that_becomes_public_no_longer_authenticates_with_its_old_secret()
    {
        var registered = await RegisterAsync("client_secret_basic");
        Assert.Equal("invalid_grant", (await CodeWithSecretAsync(registered.ClientId!, registered.ClientSecret!)).Error);

        var updated = await UpdateAsync(registered, "none");
        var withOldSecret = await CodeWithSecretAsync(registered.ClientId!, registered.ClientSecret!);

        Assert.Equal(200, updated.Status);
        Assert.Equal("none", (string?)updated.Json["token_endpoint_auth_method"]);
        Assert.Null(updated.Json["client_secret"]);
        Assert.Equal(401, withOldSecret.Status);
        Assert.Equal("invalid_client", withOldSecret.Error);
        // As a public client it still reaches the grant with its client_id alone.
        var asPublic = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "authorization_code"), ("client_id", registered.ClientId!), ("code", "x"), ("redirect_uri", Redirect));
        Assert.Equal("invalid_grant", asPublic.Error);
    }

    [Fact]
    public async Task A_secret_client_that_moves_to_private_key_jwt_signs_with_its_new_keys_and_its_old_secret_is_dead()
    {
        var registered = await RegisterAsync("client_secret_basic");

        var updated = await ManageAsync(HttpMethod.Put, registered.ClientId!, registered.RegistrationAccessToken!, new Dictionary<string, object?>
        {
            ["client_id"] = registered.ClientId, ["redirect_uris"] = new[] { Redirect }, ["scope"] = "openid message",
            ["token_endpoint_auth_method"] = "private_key_jwt", ["jwks"] = TestClients.PublicJwks(TestClients.KeyClientSecurityKey),
        });
        var withOldSecret = await CodeWithSecretAsync(registered.ClientId!, registered.ClientSecret!);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var assertion = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new System.Text.Json.Nodes.JsonObject
        {
            ["iss"] = registered.ClientId, ["sub"] = registered.ClientId, ["aud"] = Server.Issuer, ["exp"] = now + 120, ["jti"] = Guid.NewGuid().ToString("n"),
        }.ToJsonString(), new Microsoft.IdentityModel.Tokens.SigningCredentials(TestClients.KeyClientSecurityKey, "ES256"));
        var signed = await Protocol.PostAsync("/connect/token", null, ("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", Redirect),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", assertion));

        Assert.Equal(200, updated.Status);
        Assert.NotNull(updated.Json["jwks"]);
        Assert.Equal("invalid_client", withOldSecret.Error);
        // Authenticated by its new key: the made-up code is then the only thing wrong.
        Assert.Equal("invalid_grant", signed.Error);
    }

    private Task<DynamicClientRegistrationResponse> RegisterAsync(string method)
    {
        var document = new DynamicClientRegistrationDocument { ClientName = "Switcher", Scope = "openid message", TokenEndpointAuthenticationMethod = method };
        document.RedirectUris.Add(new Uri(Redirect));
        document.GrantTypes.Add("authorization_code");
        return Http.RegisterClientAsync(new DynamicClientRegistrationRequest
        {
            Address = Server.Issuer + "/connect/register", Document = document, Token = RegistrationFixture.InitialToken,
        });
    }

    private Task<ProtocolResponse> UpdateAsync(DynamicClientRegistrationResponse registered, string method) =>
        ManageAsync(HttpMethod.Put, registered.ClientId!, registered.RegistrationAccessToken!, new
        {
            client_id = registered.ClientId, redirect_uris = new[] { Redirect }, scope = "openid message", token_endpoint_auth_method = method,
        });

    private Task<ProtocolResponse> CodeWithSecretAsync(string clientId, string secret) =>
        Protocol.TokenAsync(clientId, secret, ("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", Redirect));

    private async Task<ProtocolResponse> ManageAsync(HttpMethod method, string clientId, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, "/connect/register/" + clientId)
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
            Content = body is null ? null : JsonContent.Create(body),
        };
        return await Protocol.SendAsync(request);
    }
}

public sealed class RegistrationAuthMethodChangeTests_Sqlite(SqliteRegistrationFixture f)
    : RegistrationAuthMethodChangeTests(f.Server), IClassFixture<SqliteRegistrationFixture>;

public sealed class RegistrationAuthMethodChangeTests_Postgres(PostgresRegistrationFixture f)
    : RegistrationAuthMethodChangeTests(f.Server), IClassFixture<PostgresRegistrationFixture>;
