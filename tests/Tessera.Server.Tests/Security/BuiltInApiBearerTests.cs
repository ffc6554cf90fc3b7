using System.Net.Sockets;
using System.Text;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Tessera's own APIs (admin, PATs, provider tokens) authenticate with the local bearer scheme alone: one well-formed
/// Bearer credential (RFC 6750 §2.1) holding an active token of this server for itself, with the API's scope, and for the
/// admin and PAT APIs the right kind of caller. Every attack here is refused with the RFC 6750 §3.1 answer; the session
/// cookie opens none of these APIs. (Missing tokens, PATs on the admin API and users' tokens on it are in
/// PersonalAccessTokenApiTests and AdminTokenAudienceTests.)
/// </summary>
public abstract class BuiltInApiBearerTests(TesseraServer server) : ServerTest(server)
{
    private const string MalformedHeader = "the Authorization header is not one Bearer or DPoP token";
    private const string NotForThisServer = "the access token is not valid for this server";
    private const string ProviderTokenPath = "/api/users/someone/identities/upstream/token";

    [Theory]
    [InlineData("bearer", "RFC 9110 §11.1: the scheme is case-insensitive")]
    [InlineData("BEARER", "RFC 9110 §11.1: the scheme is case-insensitive")]
    public async Task The_scheme_is_accepted_in_any_letter_case(string scheme, string reason)
    {
        var token = await AdminApi.TokenAsync(Protocol);

        var response = await SendAsync("/admin/keys", $"{scheme} {token}");

        Assert.True(response.Status == 200, reason);
    }

    [Theory]
    [InlineData("Bearer", "the scheme without a token")]
    [InlineData("Bearer {0}, Basic YWRtaW46eA==", "two schemes in one header")]
    [InlineData("Bearer {0} {0}", "two tokens")]
    [InlineData("Bearer \"{0}\"", "a quoted token is not a b64token")]
    public async Task A_malformed_bearer_credential_is_invalid_token_even_around_a_valid_token(string header, string reason)
    {
        var token = await AdminApi.TokenAsync(Protocol);

        foreach (var path in new[] { "/admin/keys", "/api/pats", ProviderTokenPath, "/connect/userinfo" })
        {
            var response = await SendAsync(path, string.Format(System.Globalization.CultureInfo.InvariantCulture, header, token));

            Assert.True(response.Status == 401, $"{path}, {reason}: {response.Status}");
            Assert.Equal("invalid_token", response.Error);
            Assert.Equal(MalformedHeader, response.ErrorDescription);
            Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{MalformedHeader}\"", response.Http.Headers.WwwAuthenticate.ToString());
        }
    }

    [Theory]
    [InlineData("Bearer{0}", "no space: another scheme")]
    [InlineData("Basic YWRtaW46YWRtaW4tc2VjcmV0", "another scheme")]
    [InlineData("", "an empty header")]
    public async Task A_header_without_bearer_credentials_gets_a_bare_challenge(string header, string reason)
    {
        var token = await AdminApi.TokenAsync(Protocol);

        foreach (var path in new[] { "/admin/keys", "/api/pats", ProviderTokenPath })
        {
            var response = await SendAsync(path, string.Format(System.Globalization.CultureInfo.InvariantCulture, header, token));

            Assert.True(response.Status == 401, $"{path}, {reason}: {response.Status}");
            // RFC 6750 §3.1: no credentials, no error code.
            Assert.Equal("Bearer realm=\"tessera\"", response.Http.Headers.WwwAuthenticate.ToString());
            Assert.Null(response.Error);
        }
    }

    [Fact]
    public async Task Two_authorization_headers_are_refused_even_when_both_hold_the_same_valid_token()
    {
        var token = await AdminApi.TokenAsync(Protocol);

        var (status, headers) = await RawGetAsync("/admin/keys", $"Authorization: Bearer {token}", $"Authorization: Bearer {token}");

        Assert.Equal(401, status);
        Assert.Contains($"WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"{MalformedHeader}\"", headers);
    }

    [Fact]
    public async Task A_session_cookie_opens_none_of_the_apis()
    {
        using var browser = new Browser(Server);
        await CodeFlow.SignInAndApproveAsync(browser, CodeFlow.AuthorizeUrl(PeopleImport.Web, PeopleImport.WebRedirect, "openid tessera:pats", null));
        Assert.Equal(200, (await browser.GetAsync("/account")).Status);

        foreach (var path in new[] { "/admin/keys", "/admin/users", "/api/pats", ProviderTokenPath })
        {
            using var response = await browser.Http.GetAsync(path);

            // Not a redirect to the sign-in page either: the cookie scheme is not asked at all.
            Assert.True((int)response.StatusCode == 401, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("Bearer realm=\"tessera\"", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task A_token_for_another_api_is_invalid_token_at_the_pat_and_provider_token_apis()
    {
        var users = (await CodeFlow.WebTokensAsync(Server, Protocol, "openid message")).AccessToken;
        var clients = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;

        var pats = await PatApi.ListAsync(Protocol, users);
        var providerTokens = await SendAsync(ProviderTokenPath, "Bearer " + clients);

        foreach (var refused in new[] { pats, providerTokens })
        {
            Assert.Equal(401, refused.Status);
            Assert.Equal("invalid_token", refused.Error);
            Assert.Equal(NotForThisServer, refused.ErrorDescription);
        }
    }

    [Fact]
    public async Task A_token_of_this_server_without_the_apis_scope_is_insufficient_scope_naming_the_scope()
    {
        var patsOnly = (await Protocol.ClientCredentialsAsync(TestClients.Admin, AdminSecret, "tessera:pats")).AccessToken;

        var admin = await AdminApi.GetAsync(Protocol, "/admin/keys", patsOnly);
        var providerTokens = await SendAsync(ProviderTokenPath, "Bearer " + patsOnly);

        Assert.Equal(403, admin.Status);
        // Reading needs tessera:admin:read (or the area's own scope, or tessera:admin): the challenge names the narrowest.
        Assert.Equal("reading keys needs the tessera:admin:read or tessera:admin:keys scope", admin.ErrorDescription);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"tessera:admin:read\"", admin.Http.Headers.WwwAuthenticate.ToString());
        Assert.Equal(403, providerTokens.Status);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"tessera:provider-tokens\"", providerTokens.Http.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_revoked_token_opens_neither_the_admin_nor_the_pat_api()
    {
        var admin = await AdminApi.TokenAsync(Protocol);
        var alice = await PatApi.AliceTokenAsync(Server, Protocol);
        Assert.Equal(200, (await AdminApi.GetAsync(Protocol, "/admin/keys", admin)).Status);
        Assert.Equal(200, (await PatApi.ListAsync(Protocol, alice)).Status);

        Assert.Equal(200, (await Protocol.RevokeAsync(TestClients.Admin, AdminSecret, admin)).Status);
        Assert.Equal(200, (await Protocol.RevokeAsync(PeopleImport.Web, PeopleImport.WebSecret, alice)).Status);

        foreach (var refused in new[] { await AdminApi.GetAsync(Protocol, "/admin/keys", admin), await PatApi.ListAsync(Protocol, alice) })
        {
            Assert.Equal(401, refused.Status);
            Assert.Equal("invalid_token", refused.Error);
            Assert.Equal(NotForThisServer, refused.ErrorDescription);
        }
    }

    [Fact]
    public async Task A_disabled_users_token_no_longer_opens_the_pat_api()
    {
        var (username, token) = await PatApi.NewUserAsync(Server, Protocol);
        Assert.Equal(200, (await PatApi.ListAsync(Protocol, token)).Status);

        Assert.Equal(200, (await AdminApi.PostAsync(Protocol, $"/admin/users/{username}/disable", await AdminApi.TokenAsync(Protocol))).Status);
        var refused = await PatApi.ListAsync(Protocol, token);

        Assert.Equal(401, refused.Status);
        Assert.Equal("invalid_token", refused.Error);
    }

    private Task<ProtocolResponse> SendAsync(string path, string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return Protocol.SendAsync(request);
    }

    /// <summary>A GET with header lines as given: HttpClient would join two Authorization values into one line.</summary>
    private async Task<(int Status, string Headers)> RawGetAsync(string path, params string[] headerLines)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Server.BaseAddress.Host, Server.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var request = $"GET {path} HTTP/1.1\r\nHost: {Server.BaseAddress.Authority}\r\n{string.Join("\r\n", headerLines)}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var response = await reader.ReadToEndAsync();
        var head = response[..response.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        return (int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), head);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class BuiltInApiBearerTests_Sqlite(SqlitePeopleFixture f) : BuiltInApiBearerTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class BuiltInApiBearerTests_Postgres(PostgresPeopleFixture f) : BuiltInApiBearerTests(f.Server);
