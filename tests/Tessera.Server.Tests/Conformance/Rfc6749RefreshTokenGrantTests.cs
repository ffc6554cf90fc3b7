using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Conformance;

/// <summary>RFC 6749 §6 and RFC 9700 §4.14.2: refresh tokens with offline_access, rotated on every use.</summary>
public abstract class Rfc6749RefreshTokenGrantTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task A_code_redeemed_with_offline_access_returns_an_opaque_refresh_token_that_is_rotated_on_use()
    {
        var tokens = await WebTokensAsync(Server, Protocol);
        var refreshToken = RefreshTokenOf(tokens);
        Assert.StartsWith("tsr_rt_", refreshToken);

        var refreshed = await RefreshAsync(Protocol, refreshToken);

        Assert.Equal(200, refreshed.Status);
        Assert.Equal("openid offline_access message", (string?)refreshed.Json["scope"]);
        Assert.NotEqual(tokens.AccessToken, refreshed.AccessToken);
        Assert.NotEqual(refreshToken, RefreshTokenOf(refreshed));
        // OIDC Core §12.2: a refresh with openid gets a new ID token for the same sign-in.
        var idToken = Jwt.Payload((string)refreshed.Json["id_token"]!);
        Assert.Equal(Jwt.Payload((string)tokens.Json["id_token"]!)["auth_time"]!.ToString(), idToken["auth_time"]!.ToString());
        Assert.Equal(200, (await RefreshAsync(Protocol, RefreshTokenOf(refreshed))).Status);
    }

    [Fact]
    public async Task Discovery_advertises_offline_access_and_the_refresh_token_grant()
    {
        var json = JsonNode.Parse(await Http.GetStringAsync("/.well-known/openid-configuration"))!.AsObject();

        Assert.Contains("offline_access", json["scopes_supported"]!.AsArray().Select(s => (string?)s));
        Assert.Contains("refresh_token", json["grant_types_supported"]!.AsArray().Select(g => (string?)g));
    }

    /// <summary>
    /// OIDC Back-Channel Logout 1.0 §2.7: without offline_access a client allowed the refresh_token grant still gets a
    /// refresh token, bound to the sign-in's session (its end is tested in Security/BackChannelLogoutTests).
    /// </summary>
    [Fact]
    public async Task Without_offline_access_the_refresh_token_is_one_of_the_session_and_refreshes_while_it_lasts()
    {
        var tokens = await WebTokensAsync(Server, Protocol, "openid message");
        var refreshed = await RefreshAsync(Protocol, RefreshTokenOf(tokens));

        Assert.Equal(200, tokens.Status);
        Assert.Equal(200, refreshed.Status);
        Assert.Equal("openid message", (string?)refreshed.Json["scope"]);
    }

    [Fact]
    public async Task A_client_not_registered_for_the_refresh_token_grant_gets_none_even_with_offline_access()
    {
        using var browser = new Browser(Server);
        var (verifier, challenge) = NewPkce();
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.FirstParty, PeopleImport.FirstPartyRedirect, "openid offline_access", challenge)))["code"];

        var tokens = await Protocol.PostAsync("/connect/token", null, ("grant_type", "authorization_code"), ("client_id", PeopleImport.FirstParty),
            ("code", code), ("redirect_uri", PeopleImport.FirstPartyRedirect), ("code_verifier", verifier));

        Assert.Equal(200, tokens.Status);
        Assert.Null(tokens.Json["refresh_token"]);
    }

    [Fact]
    public async Task A_refresh_may_narrow_the_scope_and_the_next_one_may_ask_for_the_full_grant_again()
    {
        var tokens = await WebTokensAsync(Server, Protocol, "openid profile offline_access message");

        var narrowed = await RefreshAsync(Protocol, RefreshTokenOf(tokens), ("scope", "message"));
        Assert.Equal(200, narrowed.Status);
        Assert.Equal("message", (string?)narrowed.Json["scope"]);
        Assert.Equal("message", (string?)Jwt.Payload(narrowed.AccessToken)["scope"]);
        Assert.Null(narrowed.Json["id_token"]);

        var full = await RefreshAsync(Protocol, RefreshTokenOf(narrowed));
        Assert.Equal("openid profile offline_access message", (string?)full.Json["scope"]);
    }

    [Fact]
    public async Task A_refresh_asking_for_a_scope_the_user_did_not_grant_is_refused_and_the_token_still_works()
    {
        var tokens = await WebTokensAsync(Server, Protocol);

        var widened = await RefreshAsync(Protocol, RefreshTokenOf(tokens), ("scope", "message email"));

        Assert.Equal(400, widened.Status);
        Assert.Equal("invalid_scope", widened.Error);
        Assert.Equal("scope 'email' was not granted to the refresh token", widened.ErrorDescription);
        Assert.Equal(200, (await RefreshAsync(Protocol, RefreshTokenOf(tokens))).Status);
    }

    [Theory]
    [InlineData(null, "invalid_request", "refresh_token is required", "the parameter is missing")]
    [InlineData("tsr_rt_not-a-token-of-this-server", "invalid_grant", "the refresh token is invalid, expired or revoked", "an unknown handle")]
    [InlineData("eyJhbGciOiJub25lIn0.e30.", "invalid_grant", "the refresh token is invalid, expired or revoked", "not a refresh token at all")]
    public async Task A_missing_or_unknown_refresh_token_is_refused(string? refreshToken, string error, string description, string reason)
    {
        var response = refreshToken is null
            ? await Protocol.TokenAsync(PeopleImport.Web, PeopleImport.WebSecret, ("grant_type", "refresh_token"))
            : await RefreshAsync(Protocol, refreshToken);

        Assert.True(response.Status == 400, reason);
        Assert.Equal(error, response.Error);
        Assert.Equal(description, response.ErrorDescription);
    }

    [Fact]
    public async Task A_public_client_refreshes_with_its_client_id_alone()
    {
        using var browser = new Browser(Server);
        var (verifier, challenge) = NewPkce();
        var code = Callback(await SignInAndApproveAsync(browser, AuthorizeUrl(PeopleImport.Spa, PeopleImport.SpaRedirect, "openid offline_access message", challenge)))["code"];
        var tokens = await Protocol.PostAsync("/connect/token", null, ("grant_type", "authorization_code"), ("client_id", PeopleImport.Spa),
            ("code", code), ("redirect_uri", PeopleImport.SpaRedirect), ("code_verifier", verifier));

        var refreshed = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "refresh_token"), ("client_id", PeopleImport.Spa), ("refresh_token", RefreshTokenOf(tokens)));

        Assert.Equal(200, refreshed.Status);
        Assert.StartsWith("tsr_rt_", RefreshTokenOf(refreshed));
    }

    [Fact]
    public async Task Introspection_calls_a_refresh_token_active_for_its_own_client_only()
    {
        var refreshToken = RefreshTokenOf(await WebTokensAsync(Server, Protocol));

        var own = await Protocol.IntrospectAsync(PeopleImport.Web, PeopleImport.WebSecret, refreshToken);
        var other = await Protocol.IntrospectAsync(Other, OtherSecret, refreshToken);

        Assert.True(own.Active);
        Assert.Equal("refresh_token", (string?)own.Json["token_type"]);
        Assert.Equal(PeopleImport.Web, (string?)own.Json["client_id"]);
        Assert.Equal("openid offline_access message", (string?)own.Json["scope"]);
        Assert.False(other.Active);
    }

    [Fact]
    public async Task A_rotated_refresh_token_is_no_longer_active()
    {
        var refreshToken = RefreshTokenOf(await WebTokensAsync(Server, Protocol));
        await RefreshAsync(Protocol, refreshToken);

        Assert.False((await Protocol.IntrospectAsync(PeopleImport.Web, PeopleImport.WebSecret, refreshToken)).Active);
    }

    [Fact]
    public async Task Revoking_a_refresh_token_revokes_its_family_and_the_access_tokens_issued_from_it()
    {
        var tokens = await WebTokensAsync(Server, Protocol, "openid offline_access ledger");
        var refreshed = await RefreshAsync(Protocol, RefreshTokenOf(tokens));

        // RFC 7009 §2.1: revoking the refresh token invalidates the access tokens of the same grant.
        var revoked = await Protocol.RevokeAsync(PeopleImport.Web, PeopleImport.WebSecret, RefreshTokenOf(refreshed));

        Assert.Equal(200, revoked.Status);
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, refreshed.AccessToken)).Active);
        Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, tokens.AccessToken)).Active);
        Assert.Equal("invalid_grant", (await RefreshAsync(Protocol, RefreshTokenOf(refreshed))).Error);
    }

    [Fact]
    public async Task Another_client_cannot_revoke_a_refresh_token()
    {
        var refreshToken = RefreshTokenOf(await WebTokensAsync(Server, Protocol));

        var revoked = await Protocol.RevokeAsync(Other, OtherSecret, refreshToken);

        Assert.Equal("unauthorized_client", revoked.Error);
        Assert.Equal(200, (await RefreshAsync(Protocol, refreshToken)).Status);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class Rfc6749RefreshTokenGrantTests_Sqlite(SqlitePeopleFixture f) : Rfc6749RefreshTokenGrantTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class Rfc6749RefreshTokenGrantTests_Postgres(PostgresPeopleFixture f) : Rfc6749RefreshTokenGrantTests(f.Server);

[Collection(PgBouncerPeopleCollection.Name)]
public sealed class Rfc6749RefreshTokenGrantTests_PgBouncer(PgBouncerPeopleFixture f) : Rfc6749RefreshTokenGrantTests(f.Server);
