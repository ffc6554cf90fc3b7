using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// CORS for single-page apps (Fetch standard §3.2): the origins of public clients' redirect URIs may call token,
/// revocation, userinfo, JWKS and discovery from a browser, never with credentials; any other origin is granted nothing,
/// not even by a preflight. Every client here is registered through the admin API while the server runs.
/// </summary>
public abstract class CorsTests(TesseraServer server) : ServerTest(server)
{
    private const string AllowOrigin = "Access-Control-Allow-Origin";

    public static TheoryData<string, string> BrowserEndpoints => new()
    {
        { "POST", "/connect/token" },
        { "POST", "/connect/revoke" },
        { "GET", "/connect/userinfo" },
        { "POST", "/connect/userinfo" },
        { "GET", "/.well-known/jwks" },
        { "GET", "/.well-known/openid-configuration" },
        { "GET", "/.well-known/oauth-authorization-server" },
    };

    [Theory]
    [MemberData(nameof(BrowserEndpoints))]
    public async Task The_origin_of_a_public_clients_redirect_uri_may_call_the_endpoint(string method, string path)
    {
        var (id, origin) = await RegisterPublicAsync();

        using var response = await SendAsync(method, path, origin, id);

        Assert.Equal(origin, Header(response, AllowOrigin));
        Assert.Equal(["Origin"], response.Headers.Vary);
        // The script may read the nonce a DPoP server asks for and why a token was refused.
        Assert.Equal(["DPoP-Nonce", "WWW-Authenticate"], HeaderList(response, "Access-Control-Expose-Headers"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [MemberData(nameof(BrowserEndpoints))]
    public async Task A_preflight_from_a_public_clients_origin_is_answered_and_grants_the_request(string method, string path)
    {
        var (_, origin) = await RegisterPublicAsync();

        using var response = await PreflightAsync(path, origin, method);

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(origin, Header(response, AllowOrigin));
        Assert.Contains(method, HeaderList(response, "Access-Control-Allow-Methods"));
        Assert.Equal(["Content-Type", "Authorization", "DPoP"], HeaderList(response, "Access-Control-Allow-Headers"));
        Assert.Equal("3600", Header(response, "Access-Control-Max-Age"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task The_origin_of_a_confidential_clients_redirect_uri_gets_no_cors_headers()
    {
        var origin = $"https://backend-{Guid.NewGuid():n}.example";
        var created = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients", new
        {
            clientId = "web-" + Guid.NewGuid().ToString("n")[..8], grantTypes = new[] { "authorization_code" },
            redirectUris = new[] { origin + "/callback" }, scopes = new[] { "openid" },
        });
        Assert.Equal(201, created.Status);

        // A confidential client has a backend that calls the token endpoint itself; its pages need no cross-origin access.
        using var preflight = await PreflightAsync("/connect/token", origin, "POST");
        using var response = await SendAsync("POST", "/connect/token", origin, clientId: null);

        Assert.False(preflight.Headers.Contains(AllowOrigin));
        Assert.False(response.Headers.Contains(AllowOrigin));
    }

    [Fact]
    public async Task A_preflight_from_an_unknown_origin_grants_nothing()
    {
        using var response = await PreflightAsync("/connect/token", $"https://attacker-{Guid.NewGuid():n}.example", "POST");

        // Answered by the CORS middleware, never by the token endpoint, and without a grant the browser stops there.
        Assert.Equal(204, (int)response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_preflight_is_answered_on_the_token_endpoint_where_options_was_405()
    {
        var (_, origin) = await RegisterPublicAsync();

        using var response = await PreflightAsync("/connect/token", origin, "POST");

        Assert.Equal(204, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_public_client_registered_while_the_server_runs_is_allowed_at_once_and_not_after_it_is_deleted()
    {
        var origin = $"https://late-{Guid.NewGuid():n}.example";
        using var before = await SendAsync("GET", "/.well-known/jwks", origin, clientId: null);

        var (id, _) = await RegisterPublicAsync(origin);
        using var during = await SendAsync("GET", "/.well-known/jwks", origin, clientId: null);

        Assert.Equal(204, (await AdminApi.SendJsonAsync(Protocol, HttpMethod.Delete, $"/admin/clients/{id}")).Status);
        using var after = await SendAsync("GET", "/.well-known/jwks", origin, clientId: null);

        Assert.False(before.Headers.Contains(AllowOrigin));
        Assert.Equal(origin, Header(during, AllowOrigin));
        Assert.False(after.Headers.Contains(AllowOrigin));
    }

    [Fact]
    public async Task Publicly_cached_documents_vary_by_origin_even_when_no_origin_is_granted()
    {
        // Discovery and the JWKS are cacheable by shared caches: one origin's answer must not be handed to another.
        using var noOrigin = await SendAsync("GET", "/.well-known/openid-configuration", origin: null, clientId: null);
        using var unknown = await SendAsync("GET", "/.well-known/jwks", $"https://other-{Guid.NewGuid():n}.example", clientId: null);

        Assert.Contains("Origin", noOrigin.Headers.Vary);
        Assert.Contains("Origin", unknown.Headers.Vary);
    }

    [Theory]
    [InlineData("/connect/authorize")]
    [InlineData("/connect/introspect")]
    [InlineData("/admin/clients")]
    public async Task Endpoints_a_browser_app_does_not_fetch_answer_no_origin(string path)
    {
        var (_, origin) = await RegisterPublicAsync();

        using var preflight = await PreflightAsync(path, origin, "POST");
        using var response = await SendAsync("GET", path, origin, clientId: null);

        Assert.False(preflight.Headers.Contains(AllowOrigin));
        Assert.False(response.Headers.Contains(AllowOrigin));
    }

    [Fact]
    public async Task Allowed_cors_origins_replace_the_redirect_uri_origins_for_public_and_confidential_clients()
    {
        var listed = $"https://listed-{Guid.NewGuid():n}.example";
        var redirectOrigin = $"https://spa-{Guid.NewGuid():n}.example";
        var backendListed = $"https://backend-listed-{Guid.NewGuid():n}.example";
        var spa = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients", new
        {
            clientId = "spa-" + Guid.NewGuid().ToString("n")[..8], @public = true, grantTypes = new[] { "authorization_code" },
            redirectUris = new[] { redirectOrigin + "/callback" }, scopes = new[] { "openid" }, allowedCorsOrigins = new[] { listed },
        });
        var web = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients", new
        {
            clientId = "web-" + Guid.NewGuid().ToString("n")[..8], grantTypes = new[] { "authorization_code" },
            redirectUris = new[] { "https://web.example/callback" }, scopes = new[] { "openid" }, allowedCorsOrigins = new[] { backendListed },
        });
        Assert.Equal(201, spa.Status);
        Assert.Equal(201, web.Status);

        using var fromListed = await SendAsync("GET", "/.well-known/jwks", listed, clientId: null);
        using var fromRedirect = await SendAsync("GET", "/.well-known/jwks", redirectOrigin, clientId: null);
        using var fromBackend = await PreflightAsync("/connect/token", backendListed, "POST");

        Assert.Equal(listed, Header(fromListed, AllowOrigin));
        Assert.False(fromRedirect.Headers.Contains(AllowOrigin));
        Assert.Equal(backendListed, Header(fromBackend, AllowOrigin));
    }

    [Theory]
    [InlineData("https://app.example/", "must be an origin alone, without user, path (not even '/'), query or fragment (RFC 6454 §4)")]
    [InlineData("http://app.example", "must use https, or http on a loopback host (RFC 9700 §2.1)")]
    [InlineData("*", "must be an origin: https://host[:port] (RFC 6454 §4)")]
    public async Task An_allowed_cors_origin_that_is_not_an_origin_is_refused(string origin, string problem)
    {
        var response = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients", new
        {
            clientId = "spa-" + Guid.NewGuid().ToString("n")[..8], @public = true, grantTypes = new[] { "authorization_code" },
            redirectUris = new[] { "https://spa.example/callback" }, scopes = new[] { "openid" }, allowedCorsOrigins = new[] { origin },
        });

        Assert.Equal(400, response.Status);
        Assert.Contains($"allowedCorsOrigins[0] '{origin}' {problem}", response.ErrorDescription, StringComparison.Ordinal);
    }

    private async Task<(string ClientId, string Origin)> RegisterPublicAsync(string? origin = null)
    {
        origin ??= $"https://spa-{Guid.NewGuid():n}.example";
        var id = "spa-" + Guid.NewGuid().ToString("n")[..8];
        var created = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients", new
        {
            clientId = id, @public = true, grantTypes = new[] { "authorization_code", "refresh_token" },
            redirectUris = new[] { origin + "/callback" }, scopes = new[] { "openid" },
        });
        Assert.Equal(201, created.Status);
        return (id, origin);
    }

    /// <summary>What a browser sends for a cross-origin fetch: the page's Origin, and the call the app would make.</summary>
    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? origin, string? clientId)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (method == "POST")
            request.Content = new FormUrlEncodedContent([new("grant_type", "authorization_code"), new("code", "x"), new("token", "x"), new("client_id", clientId ?? "nobody")]);
        return await Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PreflightAsync(string path, string origin, string method)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "content-type,authorization,dpop");
        return await Http.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static string[] HeaderList(HttpResponseMessage response, string name) =>
        (Header(response, name) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

[Collection(SqliteCollection.Name)]
public sealed class CorsTests_Sqlite(SqliteServerFixture f) : CorsTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class CorsTests_Postgres(PostgresServerFixture f) : CorsTests(f.Server);
