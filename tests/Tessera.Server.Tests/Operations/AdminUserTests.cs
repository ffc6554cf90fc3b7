using System.Net.Http.Headers;
using System.Net.Http.Json;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>POST /admin/users: an operator creates a user, who can then sign in; the admin scope is required.</summary>
public abstract class AdminUserTests(TesseraServer server) : ServerTest(server)
{
    private async Task<ProtocolResponse> CreateAsync(string? token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/users") { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Protocol.SendAsync(request);
    }

    [Fact]
    public async Task An_admin_creates_a_user_who_can_then_sign_in()
    {
        var username = "created-" + Guid.NewGuid().ToString("n")[..8];
        var created = await CreateAsync(await AdminApi.TokenAsync(Protocol),
            new { username, password = "Created-user-pass-1", email = "c@example.com", emailVerified = true, name = "Created" });

        Assert.Equal(201, created.Status);
        Assert.Equal(username, (string?)created.Json["username"]);
        using var browser = new Browser(Server);
        var signIn = await browser.GetAsync("/account/sign-in");
        Assert.Equal(302, (await browser.SubmitAsync(signIn, "/account/sign-in", [("username", username), ("password", "Created-user-pass-1")])).Status);
    }

    [Fact]
    public async Task Creating_a_user_needs_the_admin_scope()
    {
        var body = new { username = "nobody-" + Guid.NewGuid().ToString("n")[..8], password = "Created-user-pass-1" };
        Assert.Equal(401, (await CreateAsync(null, body)).Status);
        var serviceToken = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        Assert.Equal(401, (await CreateAsync(serviceToken, body)).Status);
    }

    [Theory]
    [InlineData("weak", "a password Identity refuses")]
    [InlineData(null, "no password")]
    public async Task A_bad_user_is_invalid_request(string? password, string reason)
    {
        var response = await CreateAsync(await AdminApi.TokenAsync(Protocol), new { username = "bad-" + Guid.NewGuid().ToString("n")[..8], password });
        Assert.True(response.Status == 400, reason);
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task An_existing_username_is_invalid_request()
    {
        var response = await CreateAsync(await AdminApi.TokenAsync(Protocol), new { username = "alice", password = "Another-pass-1" });
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task An_unknown_field_is_invalid_request()
    {
        var response = await CreateAsync(await AdminApi.TokenAsync(Protocol), new { username = "x-" + Guid.NewGuid().ToString("n")[..8], password = "Another-pass-1", role = "root" });
        Assert.Equal(400, response.Status);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class AdminUserTests_Sqlite(SqliteServerFixture f) : AdminUserTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class AdminUserTests_Postgres(PostgresServerFixture f) : AdminUserTests(f.Server);
