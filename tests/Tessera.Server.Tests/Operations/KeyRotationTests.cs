using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Signing-key rotation: the scheduled one (pre-publish, take over, keep the old key published) and the operator's
/// rotate-now through the admin API. Each test starts its own server, because rotation changes what every token is signed with.
/// </summary>
public abstract class KeyRotationTests(DatabaseKind kind)
{
    private const string FastAudience = "https://api.example/fast";
    private static readonly TimeSpan PollLimit = TimeSpan.FromSeconds(20);

    private static readonly Dictionary<string, string?> FastRotation = new()
    {
        ["Tessera:Keys:RotationPeriod"] = "00:00:06",
        ["Tessera:Keys:PrepublishPeriod"] = "00:00:03",
        ["Tessera:Keys:CheckInterval"] = "00:00:00.5",
        ["Tessera:Cache:RefreshInterval"] = "00:00:00.5",
    };

    [Fact]
    public async Task The_next_key_is_published_before_it_signs_and_the_old_key_keeps_verifying_its_tokens()
    {
        await using var server = await TesseraServer.StartAsync(kind, FastImport(), FastRotation);
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);
        // The built-in API's tokens live 10 minutes and are RS256 too: a token that outlives the rotation.
        var adminToken = await AdminApi.TokenAsync(protocol);
        var firstKid = Kid(adminToken);

        string? prepublishedKid = null;
        string? tokenOfNextKey = null;
        var statuses = new Dictionary<string, HashSet<string>>();
        var deadline = DateTime.UtcNow + PollLimit;
        while (tokenOfNextKey is null && DateTime.UtcNow < deadline)
        {
            // JWKS first, token second: a kid seen here while the token is still signed by the first key was pre-published.
            var published = (await Jwt.FetchJwksAsync(http)).Keys.Select(k => k.Kid).ToList();
            await RecordStatusesAsync(protocol, adminToken, statuses);
            var token = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "fast")).AccessToken;
            if (Kid(token) == firstKid) prepublishedKid ??= published.FirstOrDefault(k => k != firstKid);
            else tokenOfNextKey = token;
            await Task.Delay(150);
        }

        Assert.True(prepublishedKid is not null, "no second key appeared in the JWKS while the first one signed");
        Assert.True(tokenOfNextKey is not null, "tokens were still signed by the first key after 20 s");
        Assert.Equal(prepublishedKid, Kid(tokenOfNextKey));
        Assert.Contains("next", statuses[prepublishedKid!]);
        var valid = await Jwt.ValidateAsync(tokenOfNextKey, http, server.Issuer, FastAudience);
        Assert.True(valid.IsValid, valid.Exception?.Message);

        // The retired key stays published for the tokens it signed.
        var jwks = await Jwt.FetchJwksAsync(http);
        Assert.Contains(jwks.Keys, k => k.Kid == firstKid);
        var old = await Jwt.ValidateAsync(adminToken, http, server.Issuer, server.Issuer);
        Assert.True(old.IsValid, old.Exception?.Message);
        Assert.True((await protocol.IntrospectAsync(TestClients.Admin, TestClients.AdminSecret, adminToken)).Active);
        await RecordStatusesAsync(protocol, adminToken, statuses);
        Assert.Contains("retired", statuses[firstKid!]);
    }

    [Fact]
    public async Task Rotate_now_signs_the_next_token_with_the_new_key_and_old_tokens_stay_active()
    {
        await using var server = await TesseraServer.StartAsync(kind, StandardImport());
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);
        var adminToken = await AdminApi.TokenAsync(protocol);
        var before = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;

        var rotated = await AdminApi.PostAsync(protocol, "/admin/keys/rotate?algorithm=RS256", adminToken);

        Assert.Equal(200, rotated.Status);
        var newKid = (string?)rotated.Json["kid"];
        Assert.Equal("RS256", (string?)rotated.Json["alg"]);
        Assert.NotEqual(Kid(before), newKid);
        var after = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        Assert.Equal(newKid, Kid(after));
        Assert.True((await protocol.IntrospectAsync(Service, ServiceSecret, before)).Active);
        Assert.True((await Jwt.ValidateAsync(before, http, server.Issuer, MessagesAudience)).IsValid);
        Assert.Equal(200, (await AdminApi.GetAsync(protocol, "/admin/keys", adminToken)).Status);
    }

    [Fact]
    public async Task Rotating_twice_in_a_row_signs_with_the_newest_key()
    {
        await using var server = await TesseraServer.StartAsync(kind, StandardImport());
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);
        var adminToken = await AdminApi.TokenAsync(protocol);

        var first = (string?)(await AdminApi.PostAsync(protocol, "/admin/keys/rotate?algorithm=RS256", adminToken)).Json["kid"];
        var second = (string?)(await AdminApi.PostAsync(protocol, "/admin/keys/rotate?algorithm=RS256", adminToken)).Json["kid"];

        Assert.NotEqual(first, second);
        var token = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        Assert.Equal(second, Kid(token));
        var keys = (await AdminApi.GetAsync(protocol, "/admin/keys", adminToken)).Json["keys"]!.AsArray();
        Assert.Single(keys, k => (string?)k!["alg"] == "RS256" && (string?)k["status"] == "current");
    }

    [Fact]
    public async Task The_key_list_shows_the_current_and_the_retired_key_of_each_algorithm()
    {
        await using var server = await TesseraServer.StartAsync(kind, StandardImport());
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);
        var adminToken = await AdminApi.TokenAsync(protocol);
        var oldKid = Kid(adminToken);
        var newKid = (string?)(await AdminApi.PostAsync(protocol, "/admin/keys/rotate?algorithm=RS256", adminToken)).Json["kid"];

        var response = await AdminApi.GetAsync(protocol, "/admin/keys", adminToken);

        Assert.Equal(200, response.Status);
        var keys = response.Json["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
        Assert.Equal("current", (string?)keys.Single(k => (string?)k["kid"] == newKid)["status"]);
        var retired = keys.Single(k => (string?)k["kid"] == oldKid);
        Assert.Equal("retired", (string?)retired["status"]);
        Assert.True((long?)retired["unpublish_at"] > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Contains(keys, k => (string?)k["alg"] == "ES256" && (string?)k["status"] == "current");
        Assert.Contains(keys, k => (string?)k["alg"] == "PS256" && (string?)k["status"] == "current");
    }

    [Fact]
    public async Task The_admin_api_without_a_token_is_401_with_a_bearer_challenge()
    {
        await using var server = await TesseraServer.StartAsync(kind, StandardImport());
        using var http = server.CreateClient();

        var response = await AdminApi.PostAsync(new ProtocolClient(http), "/admin/keys/rotate?algorithm=RS256", token: null);

        Assert.Equal(401, response.Status);
        Assert.StartsWith("Bearer", response.Http.Headers.WwwAuthenticate.ToString());
    }

    /// <summary>
    /// A token for another API is not a token for the admin API at all: RFC 9068 §4 and RFC 6750 §3.1 make that
    /// invalid_token (401), not insufficient_scope; svc can never obtain a token whose audience is the issuer.
    /// </summary>
    [Fact]
    public async Task A_token_of_a_client_without_tessera_admin_is_rejected_as_invalid_token()
    {
        await using var server = await TesseraServer.StartAsync(kind, StandardImport());
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);
        var serviceToken = (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;

        var response = await AdminApi.PostAsync(protocol, "/admin/keys/rotate?algorithm=RS256", serviceToken);

        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_token", response.Error);
        Assert.Contains("error=\"invalid_token\"", response.Http.Headers.WwwAuthenticate.ToString());
        var asAdminScope = await protocol.ClientCredentialsAsync(Service, ServiceSecret, "tessera:admin");
        Assert.Equal(400, asAdminScope.Status);
        Assert.Equal("invalid_scope", asAdminScope.Error);
    }

    [Fact]
    public async Task A_revoked_admin_token_cannot_rotate_keys()
    {
        await using var server = await TesseraServer.StartAsync(kind, StandardImport());
        var protocol = new ProtocolClient(server.CreateClient());
        var adminToken = await AdminApi.TokenAsync(protocol);
        Assert.Equal(200, (await protocol.RevokeAsync(TestClients.Admin, AdminSecret, adminToken)).Status);

        var response = await AdminApi.PostAsync(protocol, "/admin/keys/rotate?algorithm=RS256", adminToken);

        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_token", response.Error);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    public async Task Rotating_an_algorithm_without_published_keys_is_an_invalid_request(string algorithm)
    {
        await using var server = await TesseraServer.StartAsync(kind, StandardImport());
        using var http = server.CreateClient();
        var protocol = new ProtocolClient(http);

        var response = await AdminApi.PostAsync(protocol, $"/admin/keys/rotate?algorithm={algorithm}", await AdminApi.TokenAsync(protocol));

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    private static async Task RecordStatusesAsync(ProtocolClient protocol, string adminToken, Dictionary<string, HashSet<string>> statuses)
    {
        var keys = (await AdminApi.GetAsync(protocol, "/admin/keys", adminToken)).Json["keys"]!.AsArray();
        foreach (var key in keys)
        {
            var kid = (string)key!["kid"]!;
            if (!statuses.TryGetValue(kid, out var seen)) statuses[kid] = seen = [];
            seen.Add((string)key["status"]!);
        }
    }

    private static string? Kid(string token) => (string?)Jwt.Header(token)["kid"];

    private static JsonObject FastImport() => new()
    {
        ["apiResources"] = new JsonArray(new JsonObject
        {
            ["name"] = "fast", ["audience"] = FastAudience, ["scopes"] = new JsonArray("fast"),
            ["accessTokenFormat"] = "jwt", ["signingAlgorithm"] = "RS256", ["accessTokenLifetime"] = "00:00:02",
        }),
        ["clients"] = new JsonArray
        {
            new JsonObject { ["clientId"] = Service, ["clientSecret"] = ServiceSecret, ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("fast") },
            new JsonObject { ["clientId"] = TestClients.Admin, ["clientSecret"] = AdminSecret, ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("tessera:admin") },
        },
    };
}

public sealed class KeyRotationTests_Sqlite() : KeyRotationTests(DatabaseKind.Sqlite);

public sealed class KeyRotationTests_Postgres() : KeyRotationTests(DatabaseKind.Postgres);
