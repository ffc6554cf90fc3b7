using System.Diagnostics;
using Npgsql;
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
        var nodes = ports.Select(port => Start(port, ports[0], connection)).ToList();
        try
        {
            var logs = nodes.Select(n => n.StandardOutput.ReadToEndAsync()).ToList();
            foreach (var port in ports) Assert.True(await ReadyAsync(port), $"node on {port} did not become ready");
            foreach (var node in nodes) node.Kill(entireProcessTree: true);
            foreach (var node in nodes) await node.WaitForExitAsync();

            foreach (var log in logs)
            {
                var text = await log;
                Assert.Contains("Issuer http://127.0.0.1:", text, StringComparison.Ordinal);
                Assert.False(text.Contains("fail:", StringComparison.Ordinal) || text.Contains("crit:", StringComparison.Ordinal), text);
            }
        }
        finally
        {
            foreach (var node in nodes.Where(n => !n.HasExited)) node.Kill(entireProcessTree: true);
            foreach (var node in nodes) node.Dispose();
            NpgsqlConnection.ClearAllPools();
            await using var drop = new NpgsqlConnection(admin);
            await drop.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", drop);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static Process Start(int port, int issuerPort, string connection)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Tessera.Server.dll"));
        foreach (var argument in new[]
        {
            "--urls", $"http://127.0.0.1:{port}", $"--Tessera:Issuer=http://127.0.0.1:{issuerPort}", "--Tessera:DataProtection:AllowUnprotected=true",
            "--Tessera:Database:Provider=postgres", $"--Tessera:Database:ConnectionString={connection}",
        })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static async Task<bool> ReadyAsync(int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 160; i++)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        return false;
    }
}
