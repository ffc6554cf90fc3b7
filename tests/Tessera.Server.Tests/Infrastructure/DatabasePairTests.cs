namespace Tessera.Server.Tests.Infrastructure;

/// <summary>
/// Every suite that runs on one database runs on the other too: a class X_Sqlite has its X_Postgres, and the reverse
/// (storage rules are attacked on both, docs/security.md). A suite may also run through PgBouncer, X_PgBouncer, only
/// beside its X_Postgres: PgBouncer is a way to reach PostgreSQL, not a third database.
/// </summary>
public sealed class DatabasePairTests
{
    [Fact]
    public void Every_sqlite_suite_has_its_postgresql_twin_and_the_reverse()
    {
        var names = typeof(DatabasePairTests).Assembly.GetTypes().Where(t => !t.IsAbstract).Select(t => t.FullName!).ToHashSet(StringComparer.Ordinal);

        var lonely = names.Where(n => n.EndsWith("_Sqlite", StringComparison.Ordinal) && !names.Contains(n[..^"_Sqlite".Length] + "_Postgres"))
            .Concat(names.Where(n => n.EndsWith("_Postgres", StringComparison.Ordinal) && !names.Contains(n[..^"_Postgres".Length] + "_Sqlite")))
            .Order(StringComparer.Ordinal).ToList();

        Assert.True(lonely.Count == 0, $"suites on one database only: {string.Join(", ", lonely)}");
    }

    [Fact]
    public void Every_pgbouncer_suite_also_runs_on_postgresql_directly()
    {
        var names = typeof(DatabasePairTests).Assembly.GetTypes().Where(t => !t.IsAbstract).Select(t => t.FullName!).ToHashSet(StringComparer.Ordinal);

        var lonely = names.Where(n => n.EndsWith("_PgBouncer", StringComparison.Ordinal) && !names.Contains(n[..^"_PgBouncer".Length] + "_Postgres"))
            .Order(StringComparer.Ordinal).ToList();

        Assert.True(lonely.Count == 0, $"suites through PgBouncer without their PostgreSQL twin: {string.Join(", ", lonely)}");
    }
}
