using System.Net.Http.Headers;
using System.Net.Http.Json;
using Duende.IdentityModel.Client;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using ProtocolResponse = Tessera.Testing.ProtocolResponse;

namespace Tessera.Server.Tests.Registration;

/// <summary>A server with registration open behind an initial access token, and the message API's scope allowed.</summary>
public abstract class RegistrationFixture(DatabaseKind kind) : IAsyncLifetime
{
    public const string InitialToken = "initial-access-token-0123456789abcdef";

    public TesseraServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TesseraServer.StartAsync(kind, PeopleImport.Create(), new Dictionary<string, string?>
    {
        ["Tessera:Registration:Enabled"] = "true",
        ["Tessera:Registration:InitialAccessToken"] = InitialToken,
        ["Tessera:Registration:AllowedScopes:0"] = "openid",
        ["Tessera:Registration:AllowedScopes:1"] = "offline_access",
        ["Tessera:Registration:AllowedScopes:2"] = "message",
        ["Tessera:Registration:AllowedScopes:3"] = "tessera:admin",
    });

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}

public sealed class SqliteRegistrationFixture() : RegistrationFixture(DatabaseKind.Sqlite);
public sealed class PostgresRegistrationFixture() : RegistrationFixture(DatabaseKind.Postgres);

/// <summary>
/// RFC 7591 and RFC 7592 through Duende.IdentityModel's RegisterClientAsync: what a client may register itself as, the
/// initial access token, the registration access token that manages one client only, and how such a client is treated
/// afterwards (consent always, marked unverified; listed as dynamic). Every refusal is an attack here.
/// </summary>
public abstract class ClientRegistrationTests(TesseraServer server) : ServerTest(server)
{
    private string RegisterUrl => Server.Issuer + "/connect/register";

    [Fact]
    public async Task A_client_registers_itself_and_gets_an_id_a_secret_and_a_registration_token()
    {
        var response = await RegisterAsync(Document());

        Assert.False(response.IsError, response.Error + " " + response.ErrorDescription);
        Assert.StartsWith("dyn_", response.ClientId, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(response.ClientSecret));
        Assert.False(string.IsNullOrEmpty(response.RegistrationAccessToken));
        Assert.Equal(RegisterUrl + "/" + response.ClientId, response.RegistrationClientUri);
        Assert.Equal(0, response.ClientSecretExpiresAt);
        var discovery = await Http.GetDiscoveryDocumentAsync(Server.Issuer);
        Assert.Equal(RegisterUrl, discovery.RegistrationEndpoint);
    }

    [Fact]
    public async Task Registering_without_or_with_a_wrong_initial_access_token_is_refused()
    {
        var without = await Http.RegisterClientAsync(new DynamicClientRegistrationRequest { Address = RegisterUrl, Document = Document() });
        var wrong = await Http.RegisterClientAsync(new DynamicClientRegistrationRequest { Address = RegisterUrl, Document = Document(), Token = "guessed" });

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, without.HttpStatusCode);
        Assert.Contains("\"invalid_token\"", without.Raw, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrong.HttpStatusCode);
    }

    [Theory]
    [InlineData("http://app.example/callback", "invalid_redirect_uri")]
    [InlineData("https://app.example/callback#fragment", "invalid_redirect_uri")]
    [InlineData("https://app.example/callback/*", "invalid_redirect_uri")]
    public async Task An_unacceptable_redirect_uri_is_refused(string redirectUri, string error)
    {
        var response = await RegisterAsync(Document(redirectUri: redirectUri));

        Assert.Equal(error, response.Error);
    }

    [Theory]
    [InlineData("openid tessera:admin", null, "scope 'tessera:admin' is not open to registered clients")]
    [InlineData("openid ledger", null, "scope 'ledger' is not open to registered clients")]
    [InlineData("openid", "client_credentials", "grant type 'client_credentials' is not open to registered clients")]
    public async Task Metadata_beyond_what_the_operator_opened_is_invalid_client_metadata(string scope, string? grant, string description)
    {
        var response = await RegisterAsync(Document(scope: scope, grants: grant is null ? null : [grant]));

        Assert.Equal("invalid_client_metadata", response.Error);
        Assert.Equal(description, response.ErrorDescription);
    }

    [Theory]
    [InlineData("http://app.example/jwks", false, "jwks_uri must be an https URL")]
    [InlineData("https://app.example/jwks", true, "jwks and jwks_uri must not both be present")]
    public async Task Keys_by_a_jwks_uri_that_is_not_https_or_beside_jwks_are_invalid_client_metadata(string jwksUri, bool withJwks, string description)
    {
        // RFC 7591 §2: one place for the keys; a plain-http one would let anyone on the path swap them.
        var response = await PostRegistrationAsync(JsonContent.Create(new Dictionary<string, object?>
        {
            ["redirect_uris"] = new[] { "https://app.example/callback" }, ["token_endpoint_auth_method"] = "private_key_jwt", ["jwks_uri"] = jwksUri,
            ["jwks"] = withJwks ? TestClients.PublicJwks(TestClients.KeyClientSecurityKey) : null,
        }));

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_client_metadata", response.Error);
        Assert.Equal(description, response.ErrorDescription);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "redirect_uris=https%3A%2F%2Fapp.example%2Fcallback", "a form, not JSON")]
    [InlineData("text/plain", "{\"redirect_uris\": [\"https://app.example/callback\"]}", "JSON under another media type")]
    [InlineData("application/json", "{\"redirect_uris\": [", "truncated JSON")]
    [InlineData("application/json", "[\"https://app.example/callback\"]", "an array, not an object")]
    [InlineData("application/json", "null", "null")]
    [InlineData("application/json", "{\"redirect_uris\": \"https://app.example/callback\"}", "a member of the wrong type")]
    public async Task A_body_that_is_not_a_json_object_of_client_metadata_is_invalid_client_metadata(string mediaType, string body, string reason)
    {
        // RFC 7591 §3.2.2: the metadata cannot be read, so it is invalid — never a server error, never a client registered.
        var response = await PostRegistrationAsync(new StringContent(body, System.Text.Encoding.UTF8, mediaType));

        Assert.True(response.Status == 400, $"{reason}: {response.Status}");
        Assert.Equal("invalid_client_metadata", response.Error);
        Assert.Equal("the body must be a JSON object of client metadata", response.ErrorDescription);
    }

    [Fact]
    public async Task The_registration_token_reads_updates_and_deletes_its_own_client_only()
    {
        var mine = await RegisterAsync(Document());
        var theirs = await RegisterAsync(Document());

        var read = await ManageAsync(HttpMethod.Get, mine.ClientId!, mine.RegistrationAccessToken!);
        var foreign = await ManageAsync(HttpMethod.Get, theirs.ClientId!, mine.RegistrationAccessToken!);
        var foreignDelete = await ManageAsync(HttpMethod.Delete, theirs.ClientId!, mine.RegistrationAccessToken!);
        var updated = await ManageAsync(HttpMethod.Put, mine.ClientId!, mine.RegistrationAccessToken!, new
        {
            client_id = mine.ClientId, redirect_uris = new[] { "https://app.example/callback" }, client_name = "Renamed", scope = "openid",
        });

        Assert.Equal(200, read.Status);
        Assert.Equal("Agent", (string?)read.Json["client_name"]);
        Assert.Null(read.Json["client_secret"]);
        Assert.Equal(401, foreign.Status);
        Assert.Equal("invalid_token", foreign.Error);
        Assert.Equal(401, foreignDelete.Status);
        // Their client survived the foreign delete: it still authenticates (a bad code, not a bad client).
        Assert.Equal("invalid_grant", (await Protocol.TokenAsync(theirs.ClientId!, theirs.ClientSecret!, ("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", "https://app.example/callback"))).Error);
        Assert.Equal(200, updated.Status);
        Assert.Equal("Renamed", (string?)updated.Json["client_name"]);

        Assert.Equal(204, (await ManageAsync(HttpMethod.Delete, mine.ClientId!, mine.RegistrationAccessToken!)).Status);
        Assert.Equal(401, (await ManageAsync(HttpMethod.Get, mine.ClientId!, mine.RegistrationAccessToken!)).Status);
        // A deleted client cannot authenticate any more.
        var token = await Protocol.TokenAsync(mine.ClientId!, mine.ClientSecret!, ("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", "https://app.example/callback"));
        Assert.Equal("invalid_client", token.Error);
    }

    [Fact]
    public async Task A_browser_app_at_a_public_clients_origin_may_call_registration_and_no_other_origin_may()
    {
        async Task<string?> PreflightAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/connect/register");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");
            using var response = await Http.SendAsync(request);
            return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
        }

        Assert.Equal("https://spa.example", await PreflightAsync("https://spa.example"));
        Assert.Null(await PreflightAsync("https://attacker.example"));
    }

    [Fact]
    public async Task A_configured_client_cannot_be_managed_through_registration()
    {
        var response = await ManageAsync(HttpMethod.Get, PeopleImport.Web, PeopleImport.WebSecret);

        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task A_registered_client_always_gets_the_consent_page_marked_unverified_and_is_listed_as_dynamic()
    {
        var registered = await RegisterAsync(Document(name: "Helpful Agent", method: "none", redirectUri: "http://127.0.0.1:4470/callback"));
        using var browser = new Browser(Server);
        var (_, challenge) = NewPkce();

        var page = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(registered.ClientId!, "http://127.0.0.1:4470/callback", "openid message", challenge)));
        if (page.RequestPath.StartsWith("/account/sign-in", StringComparison.Ordinal))
            page = await browser.FollowAsync(await browser.SubmitAsync(page, page.RequestPath,
                [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", page.Field("returnUrl")!)]));
        var listed = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Get, "/admin/clients/" + registered.ClientId);

        Assert.StartsWith("/consent", page.RequestPath, StringComparison.Ordinal);
        Assert.Contains("Helpful Agent", page.Html);
        Assert.Contains("unverified", page.Html);
        Assert.Equal("dynamic", (string?)listed.Json["origin"]);
    }

    [Fact]
    public async Task Registrations_from_one_address_are_limited()
    {
        await using var limited = await TesseraServer.StartAsync(Server.Provider == "postgres" ? DatabaseKind.Postgres : DatabaseKind.Sqlite,
            PeopleImport.Create(), new Dictionary<string, string?>
            {
                ["Tessera:Registration:Enabled"] = "true",
                ["Tessera:RateLimits:ClientRegistrationsPerIp:PermitLimit"] = "2",
                ["Tessera:RateLimits:ClientRegistrationsPerIp:Window"] = "01:00:00",
            });
        using var http = limited.CreateClient();
        var statuses = new List<System.Net.HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            var response = await http.RegisterClientAsync(new DynamicClientRegistrationRequest { Address = limited.Issuer + "/connect/register", Document = Document(scope: "openid") });
            statuses.Add(response.HttpStatusCode);
        }

        Assert.Equal([System.Net.HttpStatusCode.Created, System.Net.HttpStatusCode.Created, System.Net.HttpStatusCode.TooManyRequests], statuses);
    }

    private Task<DynamicClientRegistrationResponse> RegisterAsync(DynamicClientRegistrationDocument document) =>
        Http.RegisterClientAsync(new DynamicClientRegistrationRequest { Address = RegisterUrl, Document = document, Token = RegistrationFixture.InitialToken });

    private static DynamicClientRegistrationDocument Document(
        string redirectUri = "https://app.example/callback", string scope = "openid message", string[]? grants = null, string name = "Agent",
        string method = "client_secret_basic")
    {
        var document = new DynamicClientRegistrationDocument { ClientName = name, Scope = scope, TokenEndpointAuthenticationMethod = method };
        document.RedirectUris.Add(new Uri(redirectUri, UriKind.Absolute));
        foreach (var grant in grants ?? ["authorization_code"]) document.GrantTypes.Add(grant);
        return document;
    }

    private async Task<ProtocolResponse> PostRegistrationAsync(HttpContent body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/register")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", RegistrationFixture.InitialToken) },
            Content = body,
        };
        return await Protocol.SendAsync(request);
    }

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

public sealed class ClientRegistrationTests_Sqlite(SqliteRegistrationFixture f) : ClientRegistrationTests(f.Server), IClassFixture<SqliteRegistrationFixture>;

public sealed class ClientRegistrationTests_Postgres(PostgresRegistrationFixture f) : ClientRegistrationTests(f.Server), IClassFixture<PostgresRegistrationFixture>;

/// <summary>Registration is closed unless the operator opens it, and it is limited per address when open.</summary>
public abstract class ClientRegistrationSwitchTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task Registration_is_off_by_default()
    {
        using var response = await Http.PostAsJsonAsync("/connect/register", new { redirect_uris = new[] { "https://app.example/callback" } });
        var discovery = await Http.GetDiscoveryDocumentAsync(Server.Issuer);

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Null(discovery.RegistrationEndpoint);
    }

    [Fact]
    public async Task Client_id_metadata_documents_are_off_by_default_and_an_https_client_id_is_just_unknown()
    {
        using var browser = new Browser(Server);
        var page = await browser.FollowAsync(await browser.GetAsync(
            AuthorizeUrl("https://app.example/client.json", "https://app.example/callback", "openid", NewPkce().Challenge)));
        var discovery = await Http.GetDiscoveryDocumentAsync(Server.Issuer);

        Assert.Equal(400, page.Status);
        Assert.Contains("the client is not registered", page.Html);
        Assert.False(discovery.TryGetBoolean("client_id_metadata_document_supported"));
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class ClientRegistrationSwitchTests_Sqlite(SqlitePeopleFixture f) : ClientRegistrationSwitchTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class ClientRegistrationSwitchTests_Postgres(PostgresPeopleFixture f) : ClientRegistrationSwitchTests(f.Server);
