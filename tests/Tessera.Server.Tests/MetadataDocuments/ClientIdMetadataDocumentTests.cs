using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using ProtocolResponse = Tessera.Testing.ProtocolResponse;

namespace Tessera.Server.Tests.MetadataDocuments;

/// <summary>
/// A server that reads client ID metadata documents from the test's own HTTPS site (a private address, so allowed here
/// by AllowPrivateNetworks; its certificate trusted by TrustedRootCertificates), with the message scope open to them.
/// </summary>
public abstract class MetadataDocumentFixture(DatabaseKind kind) : IAsyncLifetime
{
    public DocumentHost Documents { get; private set; } = null!;
    public TesseraServer Server { get; private set; } = null!;
    public DatabaseKind Kind => kind;

    public async Task InitializeAsync()
    {
        Documents = await DocumentHost.StartAsync();
        Server = await TesseraServer.StartAsync(kind, PeopleImport.Create(), Settings(Documents, allowPrivateNetworks: true));
    }

    public static Dictionary<string, string?> Settings(DocumentHost documents, bool allowPrivateNetworks) => new()
    {
        ["Tessera:ClientIdMetadataDocuments:Enabled"] = "true",
        ["Tessera:ClientIdMetadataDocuments:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
        ["Tessera:ClientIdMetadataDocuments:TrustedRootCertificates:0"] = documents.RootPemPath,
        ["Tessera:ClientIdMetadataDocuments:MinCacheLifetime"] = "00:00:01",
        ["Tessera:ClientIdMetadataDocuments:FetchTimeout"] = "00:00:02",
        ["Tessera:Registration:AllowedScopes:0"] = "openid",
        ["Tessera:Registration:AllowedScopes:1"] = "offline_access",
        ["Tessera:Registration:AllowedScopes:2"] = "message",
        ["Tessera:Registration:AllowedScopes:3"] = "tessera:admin",
        // Registration open too, for a registered client whose keys live at a jwks_uri on the same site.
        ["Tessera:Registration:Enabled"] = "true",
        ["Tessera:Registration:AllowedGrantTypes:0"] = "authorization_code",
        ["Tessera:Registration:AllowedGrantTypes:1"] = "refresh_token",
        ["Tessera:Registration:AllowedGrantTypes:2"] = "client_credentials",
    };

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        if (Documents is not null) await Documents.DisposeAsync();
    }
}

public sealed class SqliteMetadataDocumentFixture() : MetadataDocumentFixture(DatabaseKind.Sqlite);
public sealed class PostgresMetadataDocumentFixture() : MetadataDocumentFixture(DatabaseKind.Postgres);

/// <summary>
/// draft-ietf-oauth-client-id-metadata-document: a client whose client_id is the https URL of its metadata document
/// signs a user in without registering; the document is fetched safely, must name itself, and binds the client to its
/// redirect URIs and to the rules of a self-registered client. Every refusal is an attack here.
/// </summary>
public abstract class ClientIdMetadataDocumentTests(MetadataDocumentFixture fixture) : ServerTest(fixture.Server)
{
    private const string Redirect = "http://127.0.0.1:47011/callback";
    private DocumentHost Documents => fixture.Documents;

    [Fact]
    public async Task A_client_known_only_by_its_document_gets_a_code_and_tokens_after_consent_marked_unverified()
    {
        var clientId = ServeDocument("/good/client.json", Document("/good/client.json"));
        var pkce = NewPkce();
        using var browser = new Browser(Server);

        var consent = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(clientId, Redirect, "openid message", pkce.Challenge)));
        consent = await browser.SubmitAsync(consent, consent.RequestPath,
            [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", consent.Field("returnUrl")!)]);
        consent = await browser.FollowAsync(consent);
        Assert.StartsWith("/consent", consent.RequestPath, StringComparison.Ordinal);
        Assert.Contains("Notes Agent", consent.Html);
        Assert.Contains("unverified", consent.Html);
        var callback = Callback(await browser.FollowAsync(await browser.SubmitAsync(consent, "/consent",
            [("returnUrl", consent.Field("returnUrl")!), ("decision", "allow")])));
        var tokens = await Protocol.PostAsync("/connect/token", null, ("grant_type", "authorization_code"), ("client_id", clientId),
            ("code", callback["code"]), ("redirect_uri", Redirect), ("code_verifier", pkce.Verifier));

        Assert.Equal(200, tokens.Status);
        Assert.Equal("openid message", (string?)tokens.Json["scope"]);
        Assert.Equal(clientId, (string?)Jwt.Payload(tokens.AccessToken)["client_id"]);
        var discovery = await Http.GetDiscoveryDocumentAsync(Server.Issuer);
        Assert.True(discovery.TryGetBoolean("client_id_metadata_document_supported"));
    }

    [Fact]
    public async Task A_documents_logo_and_home_page_are_shown_on_consent_and_a_logo_that_is_not_plain_https_is_refused()
    {
        var branded = Document("/branded/client.json");
        branded["logo_uri"] = "https://cdn.notes.example/logo.png";
        branded["client_uri"] = "https://notes.example/";
        var clientId = ServeDocument("/branded/client.json", branded);
        var bad = Document("/bad-logo/client.json");
        bad["logo_uri"] = "data:image/png;base64,iVBORw0KGgo=";
        var badId = ServeDocument("/bad-logo/client.json", bad);
        using var browser = new Browser(Server);

        var consent = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(clientId, Redirect, "openid message", NewPkce().Challenge)));
        consent = await browser.FollowAsync(await browser.SubmitAsync(consent, consent.RequestPath,
            [("username", PeopleImport.Alice), ("password", PeopleImport.AlicePassword), ("returnUrl", consent.Field("returnUrl")!)]));
        var refused = await AuthorizePageAsync(badId);

        Assert.Contains("src=\"https://cdn.notes.example/logo.png\"", consent.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://notes.example/\" rel=\"noopener noreferrer\">", consent.Html, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' https://cdn.notes.example;", consent.Response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(400, refused.Status);
        Assert.Contains("logo_uri must be an absolute https URL", refused.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_that_names_another_client_id_is_refused()
    {
        var document = Document("/mismatch/client.json");
        document["client_id"] = Documents.Url("/good/client.json");
        var clientId = ServeDocument("/mismatch/client.json", document);

        var page = await AuthorizePageAsync(clientId);

        Assert.Equal(400, page.Status);
        Assert.Contains("its client_id is not the URL it was fetched from", page.Html);
    }

    [Fact]
    public async Task A_redirect_uri_not_in_the_document_is_refused_and_the_user_is_not_sent_there()
    {
        var clientId = ServeDocument("/narrow/client.json", Document("/narrow/client.json"));

        var page = await AuthorizePageAsync(clientId, redirectUri: "https://attacker.example/callback");

        Assert.Equal(400, page.Status);
        Assert.Null(page.Location);
        Assert.Contains("redirect_uri is not registered for this client", page.Html);
    }

    [Fact]
    public async Task A_document_on_a_private_address_is_not_fetched_unless_the_operator_allows_private_networks()
    {
        var clientId = ServeDocument("/private/client.json", Document("/private/client.json"));
        await using var strict = await TesseraServer.StartAsync(fixture.Kind, PeopleImport.Create(),
            MetadataDocumentFixture.Settings(Documents, allowPrivateNetworks: false));
        using var browser = new Browser(strict);

        var page = await browser.FollowAsync(await browser.GetAsync(AuthorizeUrl(clientId, Redirect, "openid", NewPkce().Challenge)));

        Assert.Equal(400, page.Status);
        Assert.Contains("&#x27;localhost&#x27; resolves to no public address", page.Html);
        Assert.Equal(0, Documents.Hits("/private/client.json"));
    }

    [Theory]
    [InlineData("client_secret_basic", "token_endpoint_auth_method must be none or private_key_jwt")]
    [InlineData("client_secret_post", "token_endpoint_auth_method must be none or private_key_jwt")]
    public async Task A_document_cannot_use_a_shared_secret(string method, string description)
    {
        var path = $"/secret-{method}/client.json";
        var document = Document(path);
        document["token_endpoint_auth_method"] = method;
        document["client_secret"] = "a-secret-anyone-can-read-0123456789";

        var page = await AuthorizePageAsync(ServeDocument(path, document));

        Assert.Equal(400, page.Status);
        Assert.Contains("it must not contain client_secret", page.Html);
        document.Remove("client_secret");
        var withoutSecret = await AuthorizePageAsync(ServeDocument(path + "x", RenamedTo(document, path + "x")));
        Assert.Contains(description, withoutSecret.Html);
    }

    [Fact]
    public async Task A_document_may_not_claim_tessera_scopes_or_scopes_the_operator_did_not_open()
    {
        var admin = Document("/admin/client.json");
        admin["scope"] = "openid tessera:admin";
        var ledger = Document("/ledger/client.json");
        ledger["scope"] = "openid ledger";

        Assert.Contains("scope &#x27;tessera:admin&#x27; is not open to registered clients", (await AuthorizePageAsync(ServeDocument("/admin/client.json", admin))).Html);
        Assert.Contains("scope &#x27;ledger&#x27; is not open to registered clients", (await AuthorizePageAsync(ServeDocument("/ledger/client.json", ledger))).Html);
    }

    [Fact]
    public async Task A_redirect_from_the_document_url_is_not_followed()
    {
        var target = ServeDocument("/moved-here/client.json", Document("/moved-here/client.json"));
        Documents.Serve("/moved/client.json", "", status: 302, headers: new Dictionary<string, string> { ["Location"] = target });

        var page = await AuthorizePageAsync(Documents.Url("/moved/client.json"));

        Assert.Contains("it answered 302, not 200", page.Html);
        Assert.Equal(0, Documents.Hits("/moved-here/client.json"));
    }

    [Fact]
    public async Task A_document_larger_than_the_limit_is_refused()
    {
        var document = Document("/large/client.json");
        document["client_name"] = "Large";
        document["padding"] = new string('x', 6000);

        var page = await AuthorizePageAsync(ServeDocument("/large/client.json", document));

        Assert.Contains("it is larger than 5120 bytes", page.Html);
    }

    [Fact]
    public async Task A_document_that_does_not_answer_in_time_is_refused()
    {
        var clientId = Documents.Url("/slow/client.json");
        Documents.Serve("/slow/client.json", Document("/slow/client.json").ToJsonString(), delay: TimeSpan.FromSeconds(4));

        var page = await AuthorizePageAsync(clientId);

        Assert.Contains("it did not answer within 2 seconds", page.Html);
    }

    [Theory]
    [InlineData("https://localhost/", "client_id it has no path")]
    [InlineData("https://user:pw@localhost/client.json", "client_id it carries a user name or password")]
    [InlineData("https://localhost/a/../client.json", "client_id its path has a . or .. segment")]
    public async Task A_client_id_that_cannot_be_a_document_url_is_refused_without_a_fetch(string clientId, string description)
    {
        var page = await AuthorizePageAsync(clientId);

        Assert.Equal(400, page.Status);
        Assert.Contains(description, page.Html);
    }

    [Fact]
    public async Task A_document_is_kept_as_its_cache_headers_say_and_a_change_is_seen_after()
    {
        const string path = "/cached/client.json";
        var clientId = ServeDocument(path, Document(path), cacheControl: "max-age=1");
        // Read and accepted (the user is sent to sign in), twice, from one fetch.
        Assert.StartsWith("/account/sign-in", (await AuthorizePageAsync(clientId, follow: false)).Location, StringComparison.Ordinal);
        Assert.StartsWith("/account/sign-in", (await AuthorizePageAsync(clientId, follow: false)).Location, StringComparison.Ordinal);
        Assert.Equal(1, Documents.Hits(path));

        // The client drops the redirect URI; once max-age has passed, the server reads the document again and obeys it.
        var narrowed = Document(path);
        narrowed["redirect_uris"] = new JsonArray("http://127.0.0.1:47012/other");
        ServeDocument(path, narrowed, cacheControl: "max-age=1");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var page = await AuthorizePageAsync(clientId);

        Assert.Equal(2, Documents.Hits(path));
        Assert.Contains("redirect_uri is not registered for this client", page.Html);
    }

    [Fact]
    public async Task A_site_that_cannot_be_reached_keeps_its_client_but_a_document_read_and_found_wrong_does_not()
    {
        const string path = "/flaky/client.json";
        var clientId = ServeDocument(path, Document(path), cacheControl: "max-age=1");
        Assert.StartsWith("/account/sign-in", (await AuthorizePageAsync(clientId, follow: false)).Location, StringComparison.Ordinal);

        // The site fails after max-age: the client as last read still signs users in (stale-if-error) …
        Documents.Serve(path, "{}", status: 503);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var duringOutage = await AuthorizePageAsync(clientId, follow: false);
        // … but a document that answers and names another client_id is obeyed at once.
        var wrong = Document(path);
        wrong["client_id"] = Documents.Url("/someone-else.json");
        ServeDocument(path, wrong, cacheControl: "max-age=1");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var afterChange = await AuthorizePageAsync(clientId);

        Assert.StartsWith("/account/sign-in", duringOutage.Location, StringComparison.Ordinal);
        Assert.Equal(3, Documents.Hits(path));
        Assert.Contains("its client_id is not the URL it was fetched from", afterChange.Html);
    }

    [Fact]
    public async Task A_document_client_with_a_jwks_uri_signs_its_request_object_and_its_token_request_with_that_key()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signingKey = new ECDsaSecurityKey(key) { KeyId = "doc-key-1" };
        Documents.Serve("/keys/jwks.json", TestClients.PublicJwks(signingKey).ToJsonString());
        var document = Document("/keyed/client.json");
        document["token_endpoint_auth_method"] = "private_key_jwt";
        document["jwks_uri"] = Documents.Url("/keys/jwks.json");
        var clientId = ServeDocument("/keyed/client.json", document);
        var pkce = NewPkce();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var requestObject = handler.CreateToken(new JsonObject
        {
            ["iss"] = clientId, ["aud"] = Server.Issuer, ["exp"] = now + 300, ["client_id"] = clientId, ["response_type"] = "code",
            ["redirect_uri"] = Redirect, ["scope"] = "openid message", ["state"] = "st-doc", ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
        }.ToJsonString(), new SigningCredentials(signingKey, SecurityAlgorithms.EcdsaSha256));
        using var browser = new Browser(Server);

        var callback = Callback(await SignInAndApproveAsync(browser, QueryHelpers.AddQueryString("/connect/authorize",
            new Dictionary<string, string?> { ["client_id"] = clientId, ["request"] = requestObject })));
        var assertion = handler.CreateToken(new JsonObject
        {
            ["iss"] = clientId, ["sub"] = clientId, ["aud"] = Server.Issuer, ["iat"] = now, ["exp"] = now + 120, ["jti"] = Guid.NewGuid().ToString("n"),
        }.ToJsonString(), new SigningCredentials(signingKey, SecurityAlgorithms.EcdsaSha256));
        var tokens = await Protocol.PostAsync("/connect/token", null, ("grant_type", "authorization_code"), ("code", callback["code"]),
            ("redirect_uri", Redirect), ("code_verifier", pkce.Verifier),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", assertion));
        var withoutAssertion = await Protocol.PostAsync("/connect/token", null, ("grant_type", "authorization_code"), ("code", "x"),
            ("redirect_uri", Redirect), ("code_verifier", pkce.Verifier), ("client_id", clientId));

        Assert.Equal("st-doc", callback["state"]);
        Assert.Equal(200, tokens.Status);
        Assert.Equal(1, Documents.Hits("/keys/jwks.json"));
        // A confidential document client cannot fall back to client_id alone.
        Assert.Equal("invalid_client", withoutAssertion.Error);
    }

    [Fact]
    public async Task A_token_issued_at_one_node_is_accepted_and_refreshed_at_another_that_never_read_the_document()
    {
        const string path = "/two-nodes/client.json";
        var clientId = ServeDocument(path, Document(path));
        await using var database = await TestDatabase.CreateAsync(fixture.Kind);
        var settings = MetadataDocumentFixture.Settings(Documents, allowPrivateNetworks: true);
        await using var a = await TesseraServer.StartAsync(database, PeopleImport.Create(), settings);
        settings["Tessera:Issuer"] = a.Issuer;
        await using var b = await TesseraServer.StartAsync(database, PeopleImport.Create(), settings);
        var pkce = NewPkce();
        using var browser = new Browser(a);
        var callback = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(clientId, Redirect, "openid offline_access message", pkce.Challenge)));
        using var httpA = a.CreateClient();
        var tokens = await new ProtocolClient(httpA).PostAsync("/connect/token", null, ("grant_type", "authorization_code"), ("client_id", clientId),
            ("code", callback["code"]), ("redirect_uri", Redirect), ("code_verifier", pkce.Verifier));
        Assert.Equal(1, Documents.Hits(path));

        using var httpB = b.CreateClient();
        using var userInfo = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userInfo.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using var answered = await httpB.SendAsync(userInfo);
        var refreshed = await new ProtocolClient(httpB).PostAsync("/connect/token", null, ("grant_type", "refresh_token"), ("client_id", clientId),
            ("refresh_token", RefreshTokenOf(tokens)));

        // B never read the document, yet A's token is the client's (a document's client cannot be deleted) …
        Assert.Equal(200, (int)answered.StatusCode);
        // … and the refresh, which needs the client itself, makes B read the document.
        Assert.Equal(200, refreshed.Status);
        Assert.Equal(2, Documents.Hits(path));
    }

    [Fact]
    public async Task A_registered_client_with_a_jwks_uri_authenticates_with_a_key_published_there_and_no_other()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signingKey = new ECDsaSecurityKey(key) { KeyId = "dcr-key-1" };
        Documents.Serve("/dcr/jwks.json", TestClients.PublicJwks(signingKey).ToJsonString());
        var registered = await Http.RegisterClientAsync(new DynamicClientRegistrationRequest
        {
            Address = Server.Issuer + "/connect/register",
            Document = new DynamicClientRegistrationDocument
            {
                GrantTypes = { "client_credentials" }, TokenEndpointAuthenticationMethod = "private_key_jwt",
                JwksUri = new Uri(Documents.Url("/dcr/jwks.json")), Scope = "message",
            },
        });
        Assert.False(registered.IsError, registered.Error + " " + registered.ErrorDescription);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var signed = await ClientCredentialsWithAssertionAsync(registered.ClientId!, signingKey);
        var forged = await ClientCredentialsWithAssertionAsync(registered.ClientId!, new ECDsaSecurityKey(otherKey) { KeyId = "dcr-key-1" });

        Assert.Equal(Documents.Url("/dcr/jwks.json"), registered.Json?.GetProperty("jwks_uri").GetString());
        Assert.Null(registered.ClientSecret);
        Assert.Equal(200, signed.Status);
        Assert.Equal("invalid_client", forged.Error);
        Assert.Equal(1, Documents.Hits("/dcr/jwks.json"));
    }

    [Fact]
    public async Task A_jwks_uri_that_fails_refuses_the_client_and_is_not_fetched_again_for_every_request()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signingKey = new ECDsaSecurityKey(key) { KeyId = "down-key-1" };
        Documents.Serve("/down/jwks.json", "{}", status: 503);
        var registered = await Http.RegisterClientAsync(new DynamicClientRegistrationRequest
        {
            Address = Server.Issuer + "/connect/register",
            Document = new DynamicClientRegistrationDocument
            {
                GrantTypes = { "client_credentials" }, TokenEndpointAuthenticationMethod = "private_key_jwt",
                JwksUri = new Uri(Documents.Url("/down/jwks.json")), Scope = "message",
            },
        });
        Assert.False(registered.IsError, registered.Error + " " + registered.ErrorDescription);

        // A flood of signed requests while the client's site is down: one fetch, every request refused.
        var first = await ClientCredentialsWithAssertionAsync(registered.ClientId!, signingKey);
        var second = await ClientCredentialsWithAssertionAsync(registered.ClientId!, signingKey);

        Assert.Equal("invalid_client", first.Error);
        Assert.Equal("the client's jwks_uri: the document could not be fetched: it answered 503, not 200", first.ErrorDescription);
        Assert.Equal("invalid_client", second.Error);
        Assert.Equal(1, Documents.Hits("/down/jwks.json"));
    }

    [Fact]
    public async Task A_jwks_uri_that_publishes_a_private_key_is_not_used()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signingKey = new ECDsaSecurityKey(key) { KeyId = "leaked-1" };
        var leaked = Microsoft.IdentityModel.Tokens.JsonWebKeyConverter.ConvertFromECDsaSecurityKey(signingKey);
        Documents.Serve("/leaked/jwks.json", "{\"keys\":[" + System.Text.Json.JsonSerializer.Serialize(leaked) + "]}");
        var registered = await Http.RegisterClientAsync(new DynamicClientRegistrationRequest
        {
            Address = Server.Issuer + "/connect/register",
            Document = new DynamicClientRegistrationDocument
            {
                GrantTypes = { "client_credentials" }, TokenEndpointAuthenticationMethod = "private_key_jwt",
                JwksUri = new Uri(Documents.Url("/leaked/jwks.json")), Scope = "message",
            },
        });

        var refused = await ClientCredentialsWithAssertionAsync(registered.ClientId!, signingKey);

        Assert.Equal("invalid_client", refused.Error);
        Assert.Equal("the client's jwks_uri must hold public keys only", refused.ErrorDescription);
    }

    private Task<ProtocolResponse> ClientCredentialsWithAssertionAsync(string clientId, SecurityKey key)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var assertion = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new JsonObject
        {
            ["iss"] = clientId, ["sub"] = clientId, ["aud"] = Server.Issuer, ["iat"] = now, ["exp"] = now + 120, ["jti"] = Guid.NewGuid().ToString("n"),
        }.ToJsonString(), new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256));
        return Protocol.PostAsync("/connect/token", null, ("grant_type", "client_credentials"), ("scope", "message"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", assertion));
    }

    private string ServeDocument(string path, JsonObject document, string? cacheControl = null)
    {
        Documents.Serve(path, document.ToJsonString(), cacheControl);
        return Documents.Url(path);
    }

    private JsonObject Document(string path) => new()
    {
        ["client_id"] = Documents.Url(path),
        ["client_name"] = "Notes Agent",
        ["redirect_uris"] = new JsonArray(Redirect),
        ["grant_types"] = new JsonArray("authorization_code", "refresh_token"),
        ["token_endpoint_auth_method"] = "none",
        ["scope"] = "openid offline_access message",
    };

    private JsonObject RenamedTo(JsonObject document, string path)
    {
        var copy = document.DeepClone().AsObject();
        copy["client_id"] = Documents.Url(path);
        return copy;
    }

    private async Task<Browser.Page> AuthorizePageAsync(string clientId, string redirectUri = Redirect, bool follow = true)
    {
        using var browser = new Browser(Server);
        var response = await browser.GetAsync(AuthorizeUrl(clientId, redirectUri, "openid", NewPkce().Challenge));
        return follow ? await browser.FollowAsync(response) : response;
    }
}

public sealed class ClientIdMetadataDocumentTests_Sqlite(SqliteMetadataDocumentFixture f) : ClientIdMetadataDocumentTests(f), IClassFixture<SqliteMetadataDocumentFixture>;

public sealed class ClientIdMetadataDocumentTests_Postgres(PostgresMetadataDocumentFixture f) : ClientIdMetadataDocumentTests(f), IClassFixture<PostgresMetadataDocumentFixture>;
