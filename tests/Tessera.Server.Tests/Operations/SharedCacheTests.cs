using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Server.Tokens.Opaque;
using Tessera.Testing;
using Xunit.Abstractions;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Four nodes on one PostgreSQL sharing a Redis (<c>Tessera:Cache:Redis</c>, Debian's redis-server): a token is read
/// from the database about once in total, not once per node; a revocation reaches the shared cache before it is
/// answered; an entry shared after a revocation is not trusted by a node that knows of it; and without Redis every node
/// answers from the database, correctly and without errors (issue "Scale", item 3; docs/security.md).
/// </summary>
public sealed class SharedCacheTests(ITestOutputHelper output)
{
    private const int Tokens = 20;

    [Fact]
    public async Task Four_nodes_with_redis_read_each_new_token_from_the_database_once_in_total()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(redis.Configuration, nodes: 4);
        var tokens = await cluster.IssueAsync(0, Tokens);

        // Every node but the issuer introspects every token, round robin as a load balancer would send them.
        var reads = await cluster.CountTokenReadsAsync(async () =>
        {
            foreach (var token in tokens)
                for (var node = 1; node < 4; node++) Assert.True((await cluster.Protocol(node).IntrospectAsync(Other, OtherSecret, token)).Active);
        });

        output.WriteLine($"{Tokens} tokens introspected at three nodes: {reads} database reads");
        // Without the shared cache: 3 per token (one per node). With it: the first node's read, then Redis.
        Assert.True(reads <= Tokens, $"{reads} reads for {Tokens} tokens");
    }

    [Fact]
    public async Task Without_redis_each_node_reads_a_token_once()
    {
        await using var cluster = await Cluster.StartAsync(redis: null, nodes: 3);
        var tokens = await cluster.IssueAsync(0, Tokens);

        var reads = await cluster.CountTokenReadsAsync(async () =>
        {
            for (var round = 0; round < 3; round++)
                foreach (var token in tokens)
                    for (var node = 1; node < 3; node++) Assert.True((await cluster.Protocol(node).IntrospectAsync(Other, OtherSecret, token)).Active);
        });

        Assert.Equal(2 * Tokens, reads);
    }

    [Fact]
    public async Task A_revocation_reaches_the_shared_cache_before_it_is_answered()
    {
        await using var redis = await RedisServer.StartAsync();
        // Polls an hour apart: only the shared cache can tell node 2 of the revocation.
        await using var cluster = await Cluster.StartAsync(redis.Configuration, nodes: 3, pollInterval: "01:00:00");
        var token = (await cluster.IssueAsync(0, 1))[0];
        // Node 1 reads it from the database and shares it: the shared entry says "active".
        Assert.True((await cluster.Protocol(1).IntrospectAsync(Other, OtherSecret, token)).Active);

        Assert.Equal(200, (await cluster.Protocol(0).RevokeAsync(Service, ServiceSecret, token)).Status);

        // Node 2 has never seen the token: it finds the shared entry, which the revocation overwrote.
        Assert.False((await cluster.Protocol(2).IntrospectAsync(Other, OtherSecret, token)).Active);
        Assert.False((await cluster.Protocol(0).IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    [Fact]
    public async Task An_active_entry_shared_after_a_revocation_is_refused_by_a_node_that_knows_of_it()
    {
        // The race a shared cache opens: a node reads the row just before the revocation commits and shares it just after.
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(redis.Configuration, nodes: 3, pollInterval: "00:00:00.2");
        var token = (await cluster.IssueAsync(0, 1))[0];
        var hash = OpaqueHandles.Hash(token);
        var staleRow = await cluster.RowAsync(hash);
        Assert.Equal(200, (await cluster.Protocol(0).RevokeAsync(Service, ServiceSecret, token)).Status);
        await WaitUntilAsync(() => cluster.Nodes.All(n => n.GetService<RevokedTokenHashes>().Contains(hash)));

        // Node 1 shares the row as it read it before the revocation.
        var shared = cluster.Nodes[1].GetService<SharedOpaqueTokenCache>();
        await shared.ShareAsync(staleRow, cluster.Nodes[1].GetService<OpaqueTokenCache>().Shape(staleRow), CancellationToken.None);
        Assert.True((await shared.FindAsync(hash, CancellationToken.None))?.Token is not null);

        Assert.False((await cluster.Protocol(2).IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    [Fact]
    public async Task An_entry_moved_to_a_made_up_tokens_key_does_not_make_that_token_active()
    {
        // Whoever can write to Redis copies a real token's entry to the key of a handle they made up.
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(redis.Configuration, nodes: 3);
        var real = (await cluster.IssueAsync(0, 1))[0];
        Assert.True((await cluster.Protocol(1).IntrospectAsync(Other, OtherSecret, real)).Active);
        var madeUp = OpaqueHandles.NewAccessToken();

        var copied = await RedisCli(redis, "COPY", RedisKey(real), RedisKey(madeUp));
        Assert.Equal("1", copied.Trim());

        Assert.False((await cluster.Protocol(2).IntrospectAsync(Other, OtherSecret, madeUp)).Active);
        Assert.True((await cluster.Protocol(2).IntrospectAsync(Other, OtherSecret, real)).Active);
    }

    [Fact]
    public async Task An_entry_sealed_by_another_clusters_key_ring_is_not_trusted()
    {
        // Another deployment (its own database, so its own key ring) shares the same Redis and caches one of its tokens.
        await using var redis = await RedisServer.StartAsync();
        await using var ours = await Cluster.StartAsync(redis.Configuration, nodes: 1);
        await using var theirs = await Cluster.StartAsync(redis.Configuration, nodes: 2);
        var theirToken = (await theirs.IssueAsync(0, 1))[0];
        Assert.True((await theirs.Protocol(1).IntrospectAsync(Other, OtherSecret, theirToken)).Active);
        Assert.Contains(RedisKey(theirToken), await RedisCli(redis, "--scan"), StringComparison.Ordinal);

        Assert.False((await ours.Protocol(0).IntrospectAsync(Other, OtherSecret, theirToken)).Active);
    }

    [Fact]
    public async Task With_redis_down_every_node_answers_from_the_database()
    {
        var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(redis.Configuration, nodes: 2, pollInterval: "00:00:00.5");
        var before = (await cluster.IssueAsync(0, 1))[0];
        Assert.True((await cluster.Protocol(1).IntrospectAsync(Other, OtherSecret, before)).Active);

        await redis.DisposeAsync();
        var tokens = await cluster.IssueAsync(0, 5);
        var answered = Stopwatch.StartNew();
        foreach (var token in tokens) Assert.True((await cluster.Protocol(1).IntrospectAsync(Other, OtherSecret, token)).Active);
        output.WriteLine($"5 introspections without Redis: {answered.ElapsedMilliseconds} ms");

        // A revocation still answers, and still reaches the other node (through the database's revocation log).
        Assert.Equal(200, (await cluster.Protocol(0).RevokeAsync(Service, ServiceSecret, tokens[0])).Status);
        Assert.False((await cluster.Protocol(0).IntrospectAsync(Other, OtherSecret, tokens[0])).Active);
        await WaitUntilAsync(async () => !(await cluster.Protocol(1).IntrospectAsync(Other, OtherSecret, tokens[0])).Active);
        Assert.False((await cluster.Protocol(1).IntrospectAsync(Other, OtherSecret, "tsr_at_" + Guid.NewGuid().ToString("n"))).Active);
        Assert.True((await cluster.Protocol(1).IntrospectAsync(Other, OtherSecret, tokens[1])).Active);
    }

    [Fact]
    public async Task A_node_started_while_redis_is_down_serves_from_the_database()
    {
        var redis = await RedisServer.StartAsync();
        await redis.DisposeAsync();
        await using var cluster = await Cluster.StartAsync(redis.Configuration, nodes: 2);

        var tokens = await cluster.IssueAsync(0, 3);
        foreach (var token in tokens) Assert.True((await cluster.Protocol(1).IntrospectAsync(Other, OtherSecret, token)).Active);
    }

    [Fact]
    public async Task Redis_holds_the_tokens_hash_never_the_token()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(redis.Configuration, nodes: 2);
        var token = (await cluster.IssueAsync(0, 1))[0];
        Assert.True((await cluster.Protocol(1).IntrospectAsync(Other, OtherSecret, token)).Active);

        var keys = await RedisCli(redis, "--scan");
        output.WriteLine(keys);
        Assert.Contains(RedisKey(token), keys, StringComparison.Ordinal);
        Assert.DoesNotContain(token, keys, StringComparison.Ordinal);
        foreach (var key in keys.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.DoesNotContain(token[OpaqueHandles.AccessTokenPrefix.Length..], await RedisCli(redis, "HGETALL", key), StringComparison.Ordinal);
    }

    private static string RedisKey(string token) => "tessera:opaque:" + Convert.ToHexString(OpaqueHandles.Hash(token));

    private static async Task<string> RedisCli(RedisServer redis, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/redis-cli") { RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", redis.Port.ToString() }.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text;
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "not within 10 s");
            await Task.Delay(50);
        }
    }

    /// <summary>Nodes on one PostgreSQL database, each with its own statement count, optionally sharing a Redis.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly TestDatabase _database;
        private readonly List<HttpClient> _clients = [];

        private Cluster(TestDatabase database) => _database = database;

        public List<TesseraServer> Nodes { get; } = [];
        public List<SqlStatementCounter> Statements { get; } = [];

        public static async Task<Cluster> StartAsync(string? redis, int nodes, string pollInterval = "00:00:01")
        {
            var cluster = new Cluster(await TestDatabase.CreateAsync(DatabaseKind.Postgres));
            for (var i = 0; i < nodes; i++)
            {
                var settings = SqlStatementCounter.QuietSettings();
                settings["Tessera:Cache:RevocationPollInterval"] = pollInterval;
                settings["Tessera:Cache:Redis"] = redis;
                if (i > 0) settings["Tessera:Issuer"] = cluster.Nodes[0].Issuer;
                var counter = new SqlStatementCounter();
                cluster.Nodes.Add(await TesseraServer.StartAsync(cluster._database, StandardImport(), settings, counter.Register));
                cluster.Statements.Add(counter);
                cluster._clients.Add(cluster.Nodes[i].CreateClient());
            }
            return cluster;
        }

        public ProtocolClient Protocol(int node) => new(_clients[node]);

        public async Task<List<string>> IssueAsync(int node, int count)
        {
            var tokens = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var response = await Protocol(node).ClientCredentialsAsync(Service, ServiceSecret, "ledger");
                Assert.Equal(200, response.Status);
                tokens.Add(response.AccessToken);
            }
            return tokens;
        }

        /// <summary>SELECTs of token rows the nodes ran during <paramref name="action"/>, all nodes together.</summary>
        public async Task<int> CountTokenReadsAsync(Func<Task> action)
        {
            foreach (var counter in Statements) counter.Reset();
            await action();
            return Statements.Sum(c => c.Statements.Count(s => s.Contains("FROM \"OpaqueTokens\"", StringComparison.Ordinal)));
        }

        public async Task<OpaqueToken> RowAsync(byte[] hash)
        {
            await using var scope = Nodes[0].Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Storage.TesseraDbContext>();
            return await db.OpaqueTokens.AsNoTracking().SingleAsync(t => t.Hash == hash);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients) client.Dispose();
            foreach (var node in Enumerable.Reverse(Nodes)) await node.DisposeAsync();
            await _database.DisposeAsync();
        }
    }
}
