using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// A user's grant does not outlive changes to the client it was given to: a scope taken from the client leaves its
/// refresh tokens, and a client deleted and registered again under the same id starts with nothing of the old one's.
/// </summary>
public abstract class ClientChangeTests(TesseraServer server) : ServerTest(server)
{
    private const string Redirect = "http://127.0.0.1:4416/callback";

    private static object Registration(string id, params string[] scopes) => new
    {
        clientId = id, grantTypes = new[] { "authorization_code", "refresh_token" }, redirectUris = new[] { Redirect },
        scopes, requireConsent = false,
    };

    private async Task<string> RegisterAsync(string id, params string[] scopes)
    {
        var created = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Post, "/admin/clients", Registration(id, scopes));
        Assert.Equal(201, created.Status);
        return (string)created.Json["clientSecret"]!;
    }

    private async Task<ProtocolResponse> SignInAsync(string id, string secret, string scope)
    {
        using var browser = new Browser(Server);
        var (verifier, challenge) = NewPkce();
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(id, Redirect, scope, challenge)))["code"];
        var tokens = await Protocol.TokenAsync(id, secret, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Redirect), ("code_verifier", verifier));
        Assert.Equal(200, tokens.Status);
        return tokens;
    }

    private Task<ProtocolResponse> RefreshAsync(string id, string secret, string refreshToken) =>
        Protocol.TokenAsync(id, secret, ("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    [Fact]
    public async Task A_scope_taken_from_the_client_is_no_longer_in_what_its_refresh_tokens_issue()
    {
        var id = "narrowed-" + Guid.NewGuid().ToString("n")[..8];
        var secret = await RegisterAsync(id, "openid", "offline_access", "message", "message:write");
        var tokens = await SignInAsync(id, secret, "openid offline_access message message:write");

        var replaced = await AdminApi.SendJsonAsync(Protocol, HttpMethod.Put, $"/admin/clients/{id}", Registration(id, "openid", "offline_access", "message"));
        Assert.Equal(200, replaced.Status);
        var refreshed = await RefreshAsync(id, secret, RefreshTokenOf(tokens));
        var widened = await Protocol.TokenAsync(id, secret, ("grant_type", "refresh_token"), ("refresh_token", RefreshTokenOf(refreshed)), ("scope", "message message:write"));

        Assert.Equal(200, refreshed.Status);
        Assert.Equal("openid offline_access message", (string?)refreshed.Json["scope"]);
        Assert.Equal("invalid_scope", widened.Error);
    }

    [Fact]
    public async Task A_refresh_token_of_a_deleted_client_is_refused_when_its_id_is_registered_again()
    {
        // The attack: a leaked refresh token's client is deleted, and later someone registers a client with that id.
        var id = "reborn-" + Guid.NewGuid().ToString("n")[..8];
        var oldSecret = await RegisterAsync(id, "openid", "offline_access", "message");
        var tokens = await SignInAsync(id, oldSecret, "openid offline_access message");
        Assert.Equal(204, (await AdminApi.SendJsonAsync(Protocol, HttpMethod.Delete, $"/admin/clients/{id}")).Status);

        // Token times are whole seconds: the new registration falls in a later second than the refresh token's.
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        var newSecret = await RegisterAsync(id, "openid", "offline_access", "message");
        var refreshed = await RefreshAsync(id, newSecret, RefreshTokenOf(tokens));

        Assert.Equal("invalid_grant", refreshed.Error);
        Assert.Equal("the refresh token was issued to another client", refreshed.ErrorDescription);
        Assert.False((await Protocol.IntrospectAsync(TestClients.Other, TestClients.OtherSecret, tokens.AccessToken)).Active);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class ClientChangeTests_Sqlite(SqlitePeopleFixture f) : ClientChangeTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class ClientChangeTests_Postgres(PostgresPeopleFixture f) : ClientChangeTests(f.Server);
