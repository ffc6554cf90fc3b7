using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>Two nodes of one cluster: one PostgreSQL database, one issuer, each node with its own caches.</summary>
public sealed class TwoNodeFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    /// <summary>Each node's revocation poll: a revocation reaches the other node within it.</summary>
    public static readonly TimeSpan RevocationPollInterval = TimeSpan.FromSeconds(0.5);

    public TesseraServer A { get; private set; } = null!;
    public TesseraServer B { get; private set; } = null!;

    /// <summary>The cluster's database, for a node started later.</summary>
    public TestDatabase Database => _database ?? throw new InvalidOperationException("not started");

    /// <summary>The settings of a node of this cluster (both nodes', and one started later).</summary>
    public Dictionary<string, string?> NodeSettings() => new()
    {
        ["Tessera:Cache:RefreshInterval"] = "00:00:00.5",
        ["Tessera:Cache:RevocationPollInterval"] = RevocationPollInterval.ToString(),
        ["Tessera:Issuer"] = A.Issuer,
    };

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var settings = new Dictionary<string, string?> { ["Tessera:Cache:RefreshInterval"] = "00:00:00.5", ["Tessera:Cache:RevocationPollInterval"] = RevocationPollInterval.ToString() };
        A = await TesseraServer.StartAsync(_database, PeopleImport.Create(), settings);
        // Behind a load balancer every node answers for the same issuer.
        settings["Tessera:Issuer"] = A.Issuer;
        B = await TesseraServer.StartAsync(_database, PeopleImport.Create(), settings);
    }

    public async Task DisposeAsync()
    {
        if (B is not null) await B.DisposeAsync();
        if (A is not null) await A.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

public sealed class MultiNodeTests(TwoNodeFixture nodes) : IClassFixture<TwoNodeFixture>, IDisposable
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static readonly TimeSpan PollLimit = TimeSpan.FromSeconds(20);

    private readonly HttpClient _httpA = nodes.A.CreateClient();
    private readonly HttpClient _httpB = nodes.B.CreateClient();
    private ProtocolClient A => new(_httpA);
    private ProtocolClient B => new(_httpB);

    [Theory]
    [InlineData("message")]
    [InlineData("ledger")]
    public async Task A_token_issued_by_one_node_is_active_at_the_other(string scope)
    {
        var token = await TokenAsync(A, scope);

        var introspected = await B.IntrospectAsync(Other, OtherSecret, token);

        Assert.True(introspected.Active);
        Assert.Equal(scope, (string?)introspected.Json["scope"]);
        Assert.Equal(nodes.A.Issuer, (string?)introspected.Json["iss"]);
    }

    [Theory]
    [InlineData("message")]
    [InlineData("ledger")]
    public async Task A_revocation_at_one_node_makes_the_token_inactive_at_the_other(string scope)
    {
        var token = await TokenAsync(A, scope);
        Assert.True((await A.IntrospectAsync(Other, OtherSecret, token)).Active);

        Assert.Equal(200, (await B.RevokeAsync(Service, ServiceSecret, token)).Status);

        // The revoking node knows at once; the other within its revocation poll (0.5 s here), not never.
        Assert.False((await B.IntrospectAsync(Other, OtherSecret, token)).Active);
        var deadline = DateTime.UtcNow + PollLimit;
        bool activeAtA;
        do
        {
            activeAtA = (await A.IntrospectAsync(Other, OtherSecret, token)).Active;
            if (!activeAtA) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.False(activeAtA);
    }

    [Fact]
    public async Task Both_nodes_publish_the_same_jwks()
    {
        // Equal once both nodes have loaded the same configuration version (a test in this class may just have rotated).
        string a = "", b = "";
        var deadline = DateTime.UtcNow + PollLimit;
        do
        {
            a = await _httpA.GetStringAsync("/.well-known/jwks");
            b = await _httpB.GetStringAsync("/.well-known/jwks");
            if (a == b) break;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);

        Assert.Equal(a, b);
        Assert.NotEmpty(new JsonWebKeySet(a).Keys);
    }

    [Fact]
    public async Task A_key_rotated_at_one_node_signs_at_the_other_within_the_refresh_interval()
    {
        var adminToken = await AdminApi.TokenAsync(A);
        var rotated = await AdminApi.PostAsync(A, "/admin/keys/rotate?algorithm=RS256", adminToken);
        Assert.Equal(200, rotated.Status);
        var newKid = (string?)rotated.Json["kid"];

        var kidAtB = await PollAsync(async () => (string?)Jwt.Header(await TokenAsync(B, "message"))["kid"], kid => kid == newKid);

        Assert.Equal(newKid, kidAtB);
        Assert.True((await B.IntrospectAsync(TestClients.Admin, TestClients.AdminSecret, adminToken)).Active);
    }

    [Fact]
    public async Task A_shared_secret_reset_at_one_node_signs_at_the_other_within_the_refresh_interval()
    {
        var reset = await AdminApi.PostAsync(A, "/admin/apis/reports/signing-secret", await AdminApi.TokenAsync(A));
        var key = new SymmetricSecurityKey(Base64UrlEncoder.DecodeBytes((string)reset.Json["secret"]!));
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = nodes.A.Issuer, ValidAudience = ReportsAudience, ValidTypes = ["at+jwt"], IssuerSigningKey = key,
        };

        var valid = await PollAsync(
            async () => (await new JsonWebTokenHandler().ValidateTokenAsync(await TokenAsync(B, "reports"), parameters)).IsValid,
            isValid => isValid);

        Assert.True(valid, "node B still signed reports tokens with the old secret");
    }

    [Fact]
    public async Task A_client_assertion_used_at_one_node_is_a_replay_at_the_other()
    {
        var assertion = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = KeyClient,
            Audience = nodes.A.Issuer,
            Claims = new Dictionary<string, object> { ["sub"] = KeyClient, ["jti"] = Guid.NewGuid().ToString("n") },
            Expires = DateTime.UtcNow.AddMinutes(2),
            SigningCredentials = new SigningCredentials(KeyClientSecurityKey, SecurityAlgorithms.EcdsaSha256),
        });
        (string, string)[] form = [("grant_type", "client_credentials"), ("client_assertion_type", AssertionType), ("client_assertion", assertion)];

        Assert.Equal(200, (await A.PostAsync("/connect/token", null, form)).Status);
        var replay = await B.PostAsync("/connect/token", null, form);

        Assert.Equal(401, replay.Status);
        Assert.Equal("invalid_client", replay.Error);
    }

    [Fact]
    public async Task Two_nodes_started_at_the_same_moment_on_an_empty_database_agree()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var issuer = nodes.A.Issuer.Replace("127.0.0.1", "localhost");
        var settings = new Dictionary<string, string?> { ["Tessera:Issuer"] = issuer, ["Tessera:Cache:RefreshInterval"] = "00:00:00.5", ["Tessera:Cache:RevocationPollInterval"] = "00:00:00.5" };
        var starting = new[] { TesseraServer.StartAsync(database, StandardImport(), settings), TesseraServer.StartAsync(database, StandardImport(), settings) };
        await Task.WhenAll(starting.Select(s => s.ContinueWith(_ => { })));
        await using var first = await starting[0];
        await using var second = await starting[1];
        var one = new ProtocolClient(first.CreateClient());
        var two = new ProtocolClient(second.CreateClient());

        foreach (var (issuing, checking) in new[] { (one, two), (two, one) })
        {
            foreach (var scope in new[] { "message", "ledger", "reports" })
            {
                var token = await PollAsync(async () => await TokenAsync(issuing, scope), _ => true);
                var active = await PollAsync(async () => (await checking.IntrospectAsync(Other, OtherSecret, token)).Active, a => a);
                Assert.True(active, $"a {scope} token from one node was not active at the other");
            }
        }
        var jwks = await PollAsync(
            async () => (await one.Http.GetStringAsync("/.well-known/jwks"), await two.Http.GetStringAsync("/.well-known/jwks")),
            both => both.Item1 == both.Item2);
        Assert.Equal(jwks.Item1, jwks.Item2);
    }

    public void Dispose()
    {
        _httpA.Dispose();
        _httpB.Dispose();
    }

    private static async Task<string> TokenAsync(ProtocolClient node, string scope)
    {
        var response = await node.ClientCredentialsAsync(Service, ServiceSecret, scope);
        Assert.Equal(200, response.Status);
        return response.AccessToken;
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + PollLimit;
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            value = await read();
        }
        return value;
    }
}
