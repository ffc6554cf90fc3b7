using System.Diagnostics;
using System.Text.Json.Nodes;
using Tessera.Server.Storage;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Issue 18: a node whose database cannot be reached at start waits for it (retrying with backoff) up to
/// Tessera:Database:StartupTimeout, then stops with one readable line and a non-zero exit code — no stack trace.
/// </summary>
public sealed class DatabaseStartupTests
{
    private static Dictionary<string, string?> Unreachable(string timeout) => new()
    {
        ["Tessera:Database:Provider"] = "postgres",
        // Nothing listens there: every connection is refused at once.
        ["Tessera:Database:ConnectionString"] = $"Host=127.0.0.1;Port={TesseraServer.FreePort()};Username=postgres;Timeout=2",
        ["Tessera:Database:StartupTimeout"] = timeout,
    };

    private static JsonObject EmptyImport() => new() { ["apiResources"] = new JsonArray(), ["clients"] = new JsonArray() };

    [Fact]
    public async Task An_unreachable_database_is_retried_until_the_startup_timeout_then_named_in_one_message()
    {
        await using var unused = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DatabaseUnreachableException>(() => TesseraServer.StartAsync(unused, EmptyImport(), Unreachable("00:00:04")));

        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(2), $"gave up after {started.Elapsed}");
        Assert.StartsWith("the database could not be reached within 00:00:04 (", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Matches(@"\(([2-9]|\d\d+) attempts; last: ", error.Message);
    }

    [Fact]
    public async Task The_server_process_exits_non_zero_with_one_line_and_no_stack_trace()
    {
        using var server = ServerProcess.Start(
            ["--urls", $"http://127.0.0.1:{TesseraServer.FreePort()}", .. Unreachable("00:00:01").Select(s => $"--{s.Key}={s.Value}")],
            environment: new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "None", ["Tessera__DataProtection__AllowUnprotected"] = "true" });

        await server.ExitAsync();

        var lines = (await server.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, server.ExitCode);
        Assert.StartsWith("tessera: cannot start. the database could not be reached within 00:00:01 (", Assert.Single(lines), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await server.Stdout + await server.Stderr, StringComparison.Ordinal);
    }
}
