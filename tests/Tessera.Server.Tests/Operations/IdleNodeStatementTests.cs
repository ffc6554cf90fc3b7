using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using Xunit.Abstractions;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>A server with the default settings whose SQL statements are counted.</summary>
public abstract class IdleServerFixture(DatabaseKind kind) : IAsyncLifetime
{
    public SqlStatementCounter Statements { get; } = new();

    public TesseraServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TesseraServer.StartAsync(kind, StandardImport(), configure: Statements.Register);

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}

public sealed class SqliteIdleServerFixture() : IdleServerFixture(DatabaseKind.Sqlite);

public sealed class PostgresIdleServerFixture() : IdleServerFixture(DatabaseKind.Postgres);

/// <summary>
/// An idle node's revocation poll reads only what is new: one statement a poll (issue "Scale", item 4), not a re-read of
/// the last seconds of three tables and the disabled users.
/// </summary>
public abstract class IdleNodeStatementTests(IdleServerFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Watched = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task An_idle_nodes_revocation_poll_is_one_statement_a_poll()
    {
        // Past the start-up's own reads and first polls.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var started = DateTime.UtcNow;

        await fixture.Statements.CountAsync(() => Task.Delay(Watched));
        var statements = fixture.Statements.Statements;
        var seconds = (DateTime.UtcNow - started).TotalSeconds;

        // The default poll interval is one second: at most one poll a second, and one more for the edges of the window.
        var polls = statements.Count(s => s.Contains("RevocationEvents", StringComparison.Ordinal));
        output.WriteLine($"{statements.Count} statements in {seconds:0.0} s ({statements.Count / seconds:0.00}/s), {polls} of them the revocation poll");
        output.WriteLine(fixture.Statements.Listing);
        Assert.True(polls <= Math.Ceiling(seconds) + 1, fixture.Statements.Listing);
        Assert.DoesNotContain(statements, s => s.Contains("\"OpaqueTokens\"", StringComparison.Ordinal) || s.Contains("\"UserSessions\"", StringComparison.Ordinal)
            || s.Contains("\"PersonalAccessTokens\"", StringComparison.Ordinal) || s.Contains("\"AspNetUsers\"", StringComparison.Ordinal));
    }
}

public sealed class IdleNodeStatementTests_Sqlite(SqliteIdleServerFixture fixture, ITestOutputHelper output)
    : IdleNodeStatementTests(fixture, output), IClassFixture<SqliteIdleServerFixture>;

public sealed class IdleNodeStatementTests_Postgres(PostgresIdleServerFixture fixture, ITestOutputHelper output)
    : IdleNodeStatementTests(fixture, output), IClassFixture<PostgresIdleServerFixture>;
