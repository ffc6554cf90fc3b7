using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using Xunit.Abstractions;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// A cluster you can trust: two nodes started together as OS processes on one PostgreSQL database (PostgreSQL only — a
/// SQLite file is not shared between hosts), each on its own port of 127.0.0.1, one issuer. Under a bounded load of
/// client-credentials requests for a JWT API and an opaque API, alternating between the nodes, one node is killed
/// (SIGKILL, no graceful stop) while its opaque-token inserts are held back by a table lock. No token answered 200 is lost: every opaque one is active at the survivor and at the
/// killed node restarted, every JWT verifies against both nodes' JWKS; only requests in flight to the killed node fail,
/// and only with a connection error. Then revocation and client changes cross from one node to the other within their
/// poll intervals.
/// </summary>
public sealed class ClusterCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RevocationPoll = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);
    /// <summary>A deadline, not a performance claim: the machine is shared, and a poll may begin just before the change.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan LoadLimit = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan HoldBeforeKill = TimeSpan.FromMilliseconds(300);
    private const int Workers = 4;
    private const int MaxRequestsPerWorker = 500;
    /// <summary>Each worker's pause between requests, so the bounded load spans the kill (at most 800 requests a second in all).</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(5);

    private sealed record Outcome(int Node, string Scope, int Status, string? Token, Exception? Failure, TimeSpan Started, TimeSpan Ended);

    [Fact]
    public async Task A_node_killed_under_load_loses_no_issued_token_and_the_nodes_still_share_revocations_and_clients()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var importPath = Path.Combine(Path.GetTempPath(), $"tessera-cluster-{Guid.NewGuid():n}.json");
        await File.WriteAllTextAsync(importPath, StandardImport().ToJsonString());
        var ports = new[] { TesseraServer.FreePort(), TesseraServer.FreePort() };
        var issuer = $"http://127.0.0.1:{ports[0]}";
        ServerProcess Start(int port) => ServerProcess.Start(
        [
            "--urls", $"http://127.0.0.1:{port}", $"--Tessera:Issuer={issuer}", "--Tessera:DataProtection:AllowUnprotected=true",
            "--Tessera:Database:Provider=postgres", $"--Tessera:Database:ConnectionString={database.ConnectionString}",
            $"--Tessera:Import={importPath}", "--Logging:LogLevel:Default=Warning",
            $"--Tessera:Cache:RevocationPollInterval={RevocationPoll}", $"--Tessera:Cache:RefreshInterval={Refresh}",
        ]);

        // Started together, as a deployment starts its replicas.
        var nodes = ports.Select(Start).ToArray();
        ServerProcess? restarted = null;
        var http = ports.Select(Client).ToArray();
        try
        {
            for (var i = 0; i < 2; i++) Assert.True(await nodes[i].AnswersAsync(ports[i], "/health/ready"), $"node {i} did not become ready");

            // Load, with node 0 killed in the middle.
            var clock = Stopwatch.StartNew();
            var killStarted = TimeSpan.MaxValue;
            var killEnded = TimeSpan.MaxValue;
            var killed = 0;
            var outcomes = new ConcurrentBag<Outcome>();
            var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
            {
                for (var k = 0; k < MaxRequestsPerWorker && clock.Elapsed < LoadLimit; k++)
                {
                    var started = clock.Elapsed;
                    // After the crash the load balancer sends everything to the survivor.
                    var node = Volatile.Read(ref killed) == 1 ? 1 : (worker + k) % 2;
                    var scope = (worker + k) / 2 % 2 == 0 ? "message" : "ledger";
                    try
                    {
                        var response = await new ProtocolClient(http[node]).ClientCredentialsAsync(Service, ServiceSecret, scope);
                        outcomes.Add(new Outcome(node, scope, response.Status, (string?)response.Json["access_token"], null, started, clock.Elapsed));
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        outcomes.Add(new Outcome(node, scope, 0, null, e, started, clock.Elapsed));
                    }
                    await Task.Delay(Pace);
                }
            })).ToList();
            await Task.Delay(KillAfter - HoldBeforeKill);
            // Opaque-token inserts are held back for a moment before the kill, so node 0 dies with rows queued and not
            // yet committed: had it answered 200 before its commit, those tokens would be lost below.
            await using (var holder = new NpgsqlConnection(database.ConnectionString))
            {
                await holder.OpenAsync();
                await using var hold = await holder.BeginTransactionAsync();
                await using (var command = new NpgsqlCommand("LOCK TABLE \"OpaqueTokens\" IN EXCLUSIVE MODE", holder, hold))
                    await command.ExecuteNonQueryAsync();
                await Task.Delay(HoldBeforeKill);
                killStarted = clock.Elapsed;
                await nodes[0].StopAsync();
                killEnded = clock.Elapsed;
                Volatile.Write(ref killed, 1);
                await hold.RollbackAsync();
            }
            await Task.WhenAll(load);
            var loadTime = clock.Elapsed;

            var all = outcomes.ToList();
            var issued = all.Where(o => o.Status == 200).ToList();
            var failed = all.Where(o => o.Status != 200).ToList();
            // The survivor answered every request 200.
            Assert.All(all.Where(o => o.Node == 1), o => Assert.True(o.Status == 200, $"the survivor answered {o.Status} {o.Failure?.Message}"));
            // Only requests to the killed node fail, only with a connection error, and only those in flight at the kill.
            Assert.All(failed, o =>
            {
                Assert.Equal(0, o.Node);
                Assert.NotNull(o.Failure);
                Assert.True(o.Started <= killEnded && o.Ended >= killStarted, $"a request to node 0 failed outside the crash: {o.Failure}");
            });
            Assert.True(issued.Any(o => o.Node == 0 && o.Ended < killStarted), "the killed node issued nothing before the kill");
            Assert.True(issued.Any(o => o.Node == 1 && o.Started > killEnded), "the survivor issued nothing after the kill");

            // The killed node comes back on its port.
            restarted = Start(ports[0]);
            Assert.True(await restarted.AnswersAsync(ports[0], "/health/ready"), "the killed node did not come back");
            http[0].Dispose();
            http[0] = Client(ports[0]);

            // No token answered 200 is lost: every opaque one is active at both nodes, every JWT verifies at both JWKS.
            var opaque = issued.Where(o => o.Scope == "ledger").Select(o => o.Token!).ToList();
            var jwts = issued.Where(o => o.Scope == "message").Select(o => o.Token!).ToList();
            var inactive = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(opaque, new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (token, _) =>
            {
                for (var node = 0; node < 2; node++)
                {
                    if (!(await new ProtocolClient(http[node]).IntrospectAsync(Service, ServiceSecret, token)).Active) inactive.Add($"node {node}: {token[..12]}");
                }
            });
            Assert.True(inactive.IsEmpty, $"{inactive.Count} answers inactive for {opaque.Count} opaque tokens at two nodes: {string.Join(", ", inactive.Take(5))}");
            for (var node = 0; node < 2; node++)
            {
                var keys = new JsonWebKeySet(await http[node].GetStringAsync("/.well-known/jwks")).GetSigningKeys();
                var parameters = new TokenValidationParameters
                {
                    ValidIssuer = issuer, ValidAudience = MessagesAudience, ValidTypes = ["at+jwt"], IssuerSigningKeys = keys,
                };
                var handler = new JsonWebTokenHandler();
                var invalid = 0;
                foreach (var jwt in jwts) if (!(await handler.ValidateTokenAsync(jwt, parameters)).IsValid) invalid++;
                Assert.True(invalid == 0, $"{invalid} of {jwts.Count} JWTs do not verify against node {node}'s JWKS");
            }

            // A revocation at the restarted node reaches the survivor, which has the token cached, within the poll.
            var revokedToken = opaque[^1];
            Assert.Equal(200, (await new ProtocolClient(http[0]).RevokeAsync(Service, ServiceSecret, revokedToken)).Status);
            Assert.False((await new ProtocolClient(http[0]).IntrospectAsync(Service, ServiceSecret, revokedToken)).Active);
            var revocationDelay = await UntilAsync(RevocationPoll + Margin,
                async () => !(await new ProtocolClient(http[1]).IntrospectAsync(Service, ServiceSecret, revokedToken)).Active);
            Assert.True(revocationDelay is not null, $"the revoked token was still active at the other node after {RevocationPoll + Margin}");

            // A client created at one node is usable at the other within the refresh interval; deleted, refused within it.
            var clientId = "cluster-" + Guid.NewGuid().ToString("n")[..8];
            var created = await AdminApi.SendJsonAsync(new ProtocolClient(http[1]), HttpMethod.Post, "/admin/clients",
                new { clientId, grantTypes = new[] { "client_credentials" }, scopes = new[] { "ledger" } });
            Assert.Equal(201, created.Status);
            var secret = (string)created.Json["clientSecret"]!;
            var creationDelay = await UntilAsync(Refresh + Margin,
                async () => (await new ProtocolClient(http[0]).ClientCredentialsAsync(clientId, secret, "ledger")).Status == 200);
            Assert.True(creationDelay is not null, $"the new client was not usable at the other node after {Refresh + Margin}");
            Assert.Equal(204, (await AdminApi.SendJsonAsync(new ProtocolClient(http[1]), HttpMethod.Delete, $"/admin/clients/{clientId}")).Status);
            var deletionDelay = await UntilAsync(Refresh + Margin,
                async () => (await new ProtocolClient(http[0]).ClientCredentialsAsync(clientId, secret, "ledger")).Status == 401);
            Assert.True(deletionDelay is not null, $"the deleted client still got tokens at the other node after {Refresh + Margin}");

            output.WriteLine(
                $"cluster: {all.Count} requests in {loadTime.TotalSeconds:F1} s, node 0 killed at {killStarted.TotalSeconds:F1} s, {issued.Count} answered 200 " +
                $"({issued.Count(o => o.Node == 0)} by the killed node, {issued.Count(o => o.Started > killEnded)} after the kill; " +
                $"{opaque.Count} opaque, {jwts.Count} JWT), {failed.Count} failed in flight at the kill, 0 lost; " +
                $"revocation seen at the other node after {revocationDelay!.Value.TotalMilliseconds:F0} ms, new client after " +
                $"{creationDelay!.Value.TotalMilliseconds:F0} ms, deleted client refused after {deletionDelay!.Value.TotalMilliseconds:F0} ms");
        }
        finally
        {
            foreach (var client in http) client.Dispose();
            foreach (var node in nodes) node.Dispose();
            restarted?.Dispose();
            File.Delete(importPath);
        }
    }

    private static HttpClient Client(int port) => new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>How long until <paramref name="condition"/> held, polling every 50 ms; null if not within <paramref name="limit"/>.</summary>
    private static async Task<TimeSpan?> UntilAsync(TimeSpan limit, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            if (await condition()) return clock.Elapsed;
            await Task.Delay(50);
        } while (clock.Elapsed < limit);
        return null;
    }
}
