using System.Text.RegularExpressions;
using Tessera.Protocol;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Server.Tokens.Opaque;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.PersonalAccessTokens;

/// <summary>
/// Personal access tokens through the API the CLI uses: created for a user, accepted wherever an opaque access token
/// is (introspection), revoked for good. The token's text is made for secret scanning.
/// </summary>
public abstract class PersonalAccessTokenApiTests(TesseraServer server) : ServerTest(server)
{
    private static long InDays(int days) => DateTimeOffset.UtcNow.AddDays(days).ToUnixTimeSeconds();

    [Fact]
    public async Task A_created_token_matches_the_documented_pattern_and_its_checksum()
    {
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);

        var created = await PatApi.CreateAsync(Protocol, bearer, new { name = "ci", scopes = new[] { "ledger" }, expires_in_days = 7 });

        Assert.Equal(201, created.Status);
        var token = (string)created.Json["token"]!;
        Assert.Matches(new Regex("^" + PersonalAccessTokenFormat.Pattern + "$"), token);
        Assert.Equal(token[^6..], PersonalAccessTokenFormat.Checksum(token[8..^6]));
        Assert.Equal("no-store", created.Http.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Introspection_answers_for_a_token_with_its_user_scopes_audience_and_expiry()
    {
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);
        var expiresAt = InDays(30);
        var created = await PatApi.CreateAsync(Protocol, bearer, new { name = "reporting", scopes = new[] { "ledger", "message" }, expires_at = expiresAt });

        var introspected = await Protocol.IntrospectAsync(Service, ServiceSecret, (string)created.Json["token"]!);

        Assert.True(introspected.Active);
        Assert.Equal("Bearer", (string?)introspected.Json["token_type"]);
        Assert.Equal("ledger message", (string?)introspected.Json["scope"]);
        Assert.Equal(expiresAt, (long?)introspected.Json["exp"]);
        Assert.Equal(PeopleImport.Web, (string?)introspected.Json["client_id"]);
        Assert.Equal([LedgerAudience, MessagesAudience], introspected.Json["aud"]!.AsArray().Select(a => (string?)a).Order());
        var aliceSub = (string?)(await Protocol.IntrospectAsync(PeopleImport.Web, PeopleImport.WebSecret, bearer)).Json["sub"];
        Assert.Equal(aliceSub, (string?)introspected.Json["sub"]);
        Assert.Equal((string?)created.Json["id"], (string?)introspected.Json["jti"]);
    }

    [Fact]
    public async Task A_revoked_token_is_inactive_and_no_longer_listed()
    {
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);
        var created = await PatApi.CreateAsync(Protocol, bearer, new { name = "to-revoke", scopes = new[] { "ledger" }, expires_in_days = 1 });
        var token = (string)created.Json["token"]!;
        Assert.True((await Protocol.IntrospectAsync(Service, ServiceSecret, token)).Active);

        var revoked = await PatApi.RevokeAsync(Protocol, bearer, (string)created.Json["id"]!);

        Assert.Equal(204, revoked.Status);
        Assert.False((await Protocol.IntrospectAsync(Service, ServiceSecret, token)).Active);
        var listed = await PatApi.ListAsync(Protocol, bearer);
        Assert.DoesNotContain(listed.Json["tokens"]!.AsArray(), t => (string?)t!["id"] == (string?)created.Json["id"]);
        Assert.Equal(404, (await PatApi.RevokeAsync(Protocol, bearer, (string)created.Json["id"]!)).Status);
    }

    [Fact]
    public async Task A_token_with_one_character_changed_is_inactive()
    {
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);
        var token = (string)(await PatApi.CreateAsync(Protocol, bearer, new { name = "typo", scopes = new[] { "ledger" }, expires_in_days = 1 })).Json["token"]!;
        var typo = token[..12] + (token[12] == 'a' ? 'b' : 'a') + token[13..];

        Assert.False(PersonalAccessTokenFormat.IsWellFormed(typo));
        Assert.False((await Protocol.IntrospectAsync(Service, ServiceSecret, typo)).Active);
        Assert.True((await Protocol.IntrospectAsync(Service, ServiceSecret, token)).Active);
    }

    [Fact]
    public async Task A_token_is_inactive_once_it_has_expired()
    {
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);
        var created = await PatApi.CreateAsync(Protocol, bearer, new { name = "brief", scopes = new[] { "ledger" }, expires_at = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 2 });
        var token = (string)created.Json["token"]!;
        Assert.True((await Protocol.IntrospectAsync(Service, ServiceSecret, token)).Active);

        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.False((await Protocol.IntrospectAsync(Service, ServiceSecret, token)).Active);
    }

    [Fact]
    public async Task The_list_shows_name_scopes_dates_and_last_use_but_never_the_token()
    {
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);
        var created = await PatApi.CreateAsync(Protocol, bearer, new { name = "listed", scopes = new[] { "message" }, expires_in_days = 3 });
        var id = (string)created.Json["id"]!;
        await Protocol.IntrospectAsync(Service, ServiceSecret, (string)created.Json["token"]!);
        await Server.GetService<PersonalAccessTokenUsage>().FlushAsync(CancellationToken.None);

        var listed = await PatApi.ListAsync(Protocol, bearer);

        var entry = listed.Json["tokens"]!.AsArray().Single(t => (string?)t!["id"] == id)!;
        Assert.Equal("listed", (string?)entry["name"]);
        Assert.Equal("message", (string?)entry["scopes"]![0]);
        Assert.NotNull((long?)entry["created_at"]);
        Assert.Equal((long?)created.Json["expires_at"], (long?)entry["expires_at"]);
        Assert.InRange((long)entry["last_used_at"]!, (long)entry["created_at"]!, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Null(entry["token"]);
    }

    [Theory]
    [InlineData("tessera:admin", "invalid_scope", "the admin API belongs to administrative clients")]
    [InlineData("tessera:pats", "invalid_scope", "a token that mints tokens would outlive its expiry")]
    [InlineData("openid", "invalid_scope", "OpenID Connect scopes describe a sign-in")]
    [InlineData("no-such-scope", "invalid_scope", "unknown scope")]
    public async Task A_scope_a_user_may_not_grant_is_refused(string scope, string error, string reason)
    {
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);
        var created = await PatApi.CreateAsync(Protocol, bearer, new { name = "x", scopes = new[] { scope }, expires_in_days = 1 });
        Assert.True(created.Status == 400, reason);
        Assert.Equal(error, created.Error);
    }

    [Fact]
    public async Task Name_scopes_and_an_expiry_within_the_maximum_are_required()
    {
        var bearer = await PatApi.AliceTokenAsync(Server, Protocol);
        Assert.Equal("an expiry is required", (await PatApi.CreateAsync(Protocol, bearer, new { name = "x", scopes = new[] { "ledger" } })).ErrorDescription);
        Assert.Equal("the expiry may be at most 366 days away",
            (await PatApi.CreateAsync(Protocol, bearer, new { name = "x", scopes = new[] { "ledger" }, expires_in_days = 400 })).ErrorDescription);
        Assert.Equal("the expiry must be in the future",
            (await PatApi.CreateAsync(Protocol, bearer, new { name = "x", scopes = new[] { "ledger" }, expires_at = 1000 })).ErrorDescription);
        Assert.Equal("name is required", (await PatApi.CreateAsync(Protocol, bearer, new { scopes = new[] { "ledger" }, expires_in_days = 1 })).ErrorDescription);
        Assert.Equal("at least one scope is required", (await PatApi.CreateAsync(Protocol, bearer, new { name = "x", expires_in_days = 1 })).ErrorDescription);
        Assert.Equal(400, (await PatApi.CreateAsync(Protocol, bearer, new { name = "x", scopes = new[] { "ledger" }, expires_in_days = 1, admin = true })).Status);
    }

    [Fact]
    public async Task The_api_needs_a_users_token_with_the_pats_scope()
    {
        var body = new { name = "x", scopes = new[] { "ledger" }, expires_in_days = 1 };
        var bare = await PatApi.CreateAsync(Protocol, null, body);
        Assert.Equal(401, bare.Status);
        Assert.Equal("Bearer realm=\"tessera\"", bare.Http.Headers.WwwAuthenticate.ToString());

        var userWithoutScope = (await CodeFlow.WebTokensAsync(Server, Protocol, "openid")).AccessToken;
        Assert.Equal("insufficient_scope", (await PatApi.CreateAsync(Protocol, userWithoutScope, body)).Error);

        // A client's own token has no user behind it, even with the scope.
        var clientToken = (await Protocol.ClientCredentialsAsync(TestClients.Admin, AdminSecret, "tessera:pats")).AccessToken;
        var noUser = await PatApi.ListAsync(Protocol, clientToken);
        Assert.Equal(401, noUser.Status);
        Assert.Equal("the access token does not belong to a user", noUser.ErrorDescription);

        // A PAT cannot manage PATs: it is not a token for this server.
        var pat = (string)(await PatApi.CreateAsync(Protocol, await PatApi.AliceTokenAsync(Server, Protocol), body)).Json["token"]!;
        Assert.Equal("invalid_token", (await PatApi.ListAsync(Protocol, pat)).Error);
        Assert.Equal(401, (await AdminApi.GetAsync(Protocol, "/admin/keys", pat)).Status);
    }

    [Fact]
    public async Task A_user_cannot_see_or_revoke_another_users_tokens()
    {
        var alice = await PatApi.AliceTokenAsync(Server, Protocol);
        var created = await PatApi.CreateAsync(Protocol, alice, new { name = "alices", scopes = new[] { "ledger" }, expires_in_days = 1 });
        var erin = await PatApi.NewUserTokenAsync(Server, Protocol);

        Assert.DoesNotContain((await PatApi.ListAsync(Protocol, erin)).Json["tokens"]!.AsArray(), t => (string?)t!["name"] == "alices");
        Assert.Equal(404, (await PatApi.RevokeAsync(Protocol, erin, (string)created.Json["id"]!)).Status);
        Assert.True((await Protocol.IntrospectAsync(Service, ServiceSecret, (string)created.Json["token"]!)).Active);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class PersonalAccessTokenApiTests_Sqlite(SqlitePeopleFixture f) : PersonalAccessTokenApiTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class PersonalAccessTokenApiTests_Postgres(PostgresPeopleFixture f) : PersonalAccessTokenApiTests(f.Server);
