using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// Two nodes on one PostgreSQL database, node B with an hour-long snapshot poll: after a rotate-now at A, B has certainly
/// not loaded the new key when A's first tokens reach it. B must reload its keys, not decide on the stale ring.
/// </summary>
public sealed class StaleKeyRingFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TesseraServer A { get; private set; } = null!;
    public TesseraServer B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var settings = new Dictionary<string, string?> { ["Tessera:Cache:RefreshInterval"] = "00:00:00.5", ["Tessera:Cache:RevocationPollInterval"] = "00:00:00.5" };
        A = await TesseraServer.StartAsync(_database, PeopleImport.Create(), settings);
        settings["Tessera:Issuer"] = A.Issuer;
        settings["Tessera:Cache:RefreshInterval"] = "01:00:00";
        B = await TesseraServer.StartAsync(_database, PeopleImport.Create(), settings);
    }

    public async Task DisposeAsync()
    {
        if (B is not null) await B.DisposeAsync();
        if (A is not null) await A.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

public sealed class RotatedKeyAcrossNodesTests(StaleKeyRingFixture nodes) : IClassFixture<StaleKeyRingFixture>, IDisposable
{
    private static readonly TimeSpan PollLimit = TimeSpan.FromSeconds(20);

    private readonly HttpClient _httpA = nodes.A.CreateClient();
    private readonly HttpClient _httpB = nodes.B.CreateClient();
    private ProtocolClient A => new(_httpA);
    private ProtocolClient B => new(_httpB);

    [Fact]
    public async Task A_revocation_at_a_node_that_has_not_loaded_a_just_rotated_key_is_recorded_for_every_node()
    {
        var newKid = await RotateAtAAsync();
        var token = (await A.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        Assert.Equal(newKid, (string?)Jwt.Header(token)["kid"]);

        Assert.Equal(200, (await B.RevokeAsync(Service, ServiceSecret, token)).Status);

        Assert.False((await B.IntrospectAsync(Other, OtherSecret, token)).Active, "the revoking node still finds the token active");
        Assert.False(await StillActiveAtAAsync(token), "the revocation at B never reached A: it was not recorded");
    }

    [Fact]
    public async Task A_token_signed_with_a_key_just_rotated_at_another_node_is_active_there_and_reads_userinfo()
    {
        await RotateAtAAsync();
        var clientToken = (await A.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        var userToken = (await CodeFlow.WebTokensAsync(nodes.A, A, "openid email")).AccessToken;

        Assert.True((await B.IntrospectAsync(Other, OtherSecret, clientToken)).Active);
        using var userInfo = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userInfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", userToken);
        var info = await B.SendAsync(userInfo);
        Assert.Equal(200, info.Status);
        Assert.Equal("alice@example.com", (string?)info.Json["email"]);
    }

    [Fact]
    public async Task A_token_with_an_unknown_key_id_cannot_revoke_the_genuine_token_whose_id_it_copies()
    {
        var genuine = (await A.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        using var rsa = RSA.Create(2048);
        var attackerKey = new RsaSecurityKey(rsa) { KeyId = Guid.NewGuid().ToString("n") };
        var forged = new JsonWebTokenHandler().CreateToken(Jwt.Payload(genuine).ToJsonString(),
            new SigningCredentials(attackerKey, SecurityAlgorithms.RsaSha256), new Dictionary<string, object> { ["typ"] = "at+jwt" });

        // RFC 7009 §2.2: an invalid token is answered 200 as well, but nothing of it may be recorded.
        Assert.Equal(200, (await B.RevokeAsync(Service, ServiceSecret, forged)).Status);

        Assert.True((await B.IntrospectAsync(Other, OtherSecret, genuine)).Active);
        Assert.True((await A.IntrospectAsync(Other, OtherSecret, genuine)).Active);
    }

    public void Dispose()
    {
        _httpA.Dispose();
        _httpB.Dispose();
    }

    private async Task<string> RotateAtAAsync()
    {
        var rotated = await AdminApi.PostAsync(A, "/admin/keys/rotate?algorithm=RS256", await AdminApi.TokenAsync(A));
        Assert.Equal(200, rotated.Status);
        return (string?)rotated.Json["kid"] ?? throw new InvalidOperationException("no kid in the rotation answer");
    }

    private async Task<bool> StillActiveAtAAsync(string token)
    {
        var deadline = DateTime.UtcNow + PollLimit;
        bool active;
        do
        {
            active = (await A.IntrospectAsync(Other, OtherSecret, token)).Active;
            if (!active) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        return active;
    }
}
