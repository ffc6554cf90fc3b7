using Npgsql;
using Tessera.Server.Configuration;
using Tessera.Server.Storage;

namespace Tessera.Server.Tests.Operations;

/// <summary>What a node adds to the operator's PostgreSQL connection string, and that what the string says wins.</summary>
public sealed class PostgresConnectionStringTests
{
    private static NpgsqlConnectionStringBuilder For(string connectionString, int maxPoolSize = 20, bool pgBouncer = false) =>
        new(PostgresConnectionString.For(new DatabaseOptions { ConnectionString = connectionString, MaxPoolSize = maxPoolSize, PgBouncer = pgBouncer }));

    [Fact]
    public void The_setting_bounds_the_pool_statements_are_prepared_automatically_and_no_session_is_reset()
    {
        var built = For("Host=db;Username=tessera", maxPoolSize: 12);

        Assert.Equal(12, built.MaxPoolSize);
        Assert.Equal(PostgresConnectionString.AutoPreparedStatements, built.MaxAutoPrepare);
        Assert.True(built.NoResetOnClose);
    }

    [Fact]
    public void The_connection_strings_reset_wins() =>
        Assert.False(For("Host=db;No Reset On Close=false").NoResetOnClose);

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=7")]
    [InlineData("Host=db;MaxPoolSize=7")]
    public void The_connection_strings_pool_size_wins_under_any_of_its_names(string connectionString) =>
        Assert.Equal(7, For(connectionString, maxPoolSize: 30).MaxPoolSize);

    [Fact]
    public void Behind_pgbouncer_nothing_is_prepared_and_no_session_is_reset()
    {
        var built = For("Host=bouncer;Port=6432", pgBouncer: true);

        Assert.Equal(0, built.MaxAutoPrepare);
        Assert.True(built.NoResetOnClose);
    }

    [Fact]
    public void The_connection_strings_auto_prepare_wins_even_behind_pgbouncer() =>
        // PgBouncer 1.21 and later carry prepared statements (max_prepared_statements): the operator may say so.
        Assert.Equal(20, For("Host=bouncer;Max Auto Prepare=20", pgBouncer: true).MaxAutoPrepare);
}
