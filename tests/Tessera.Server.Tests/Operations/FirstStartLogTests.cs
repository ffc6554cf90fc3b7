using Npgsql;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Issue 18: two nodes started together on a PostgreSQL database that does not exist yet — they race to create it and
/// to migrate it — both come up, and neither logs a <c>fail:</c> line (EF Core used to log the races it then handled).
/// </summary>
public sealed class FirstStartLogTests
{
    [Fact]
    public async Task Two_nodes_started_together_on_a_new_postgresql_database_both_come_up_without_a_fail_line()
    {
        var admin = Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable)
            ?? throw new InvalidOperationException($"PostgreSQL tests need {TestDatabase.PostgresVariable}");
        var name = "tessera_first_" + Guid.NewGuid().ToString("n")[..12];
        var connection = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
        var ports = new[] { TesseraServer.FreePort(), TesseraServer.FreePort() };
        var nodes = ports.Select(port => ServerProcess.Start(
        [
            "--urls", $"http://127.0.0.1:{port}", $"--Tessera:Issuer=http://127.0.0.1:{ports[0]}", "--Tessera:DataProtection:AllowUnprotected=true",
            "--Tessera:Database:Provider=postgres", $"--Tessera:Database:ConnectionString={connection}",
        ])).ToList();
        try
        {
            for (var i = 0; i < ports.Length; i++) Assert.True(await nodes[i].AnswersAsync(ports[i], "/health/ready"), $"node on {ports[i]} did not become ready");
            foreach (var node in nodes) await node.StopAsync();

            foreach (var node in nodes)
            {
                var text = await node.Stdout;
                Assert.Contains("Issuer http://127.0.0.1:", text, StringComparison.Ordinal);
                Assert.False(text.Contains("fail:", StringComparison.Ordinal) || text.Contains("crit:", StringComparison.Ordinal), text);
            }
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
            NpgsqlConnection.ClearAllPools();
            await using var drop = new NpgsqlConnection(admin);
            await drop.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", drop);
            await command.ExecuteNonQueryAsync();
        }
    }
}
