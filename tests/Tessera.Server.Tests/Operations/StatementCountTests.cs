using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using Xunit.Abstractions;
using static Tessera.Server.Tests.Infrastructure.CodeFlow;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Operations;

/// <summary>A quiet server (its timers an hour apart) whose SQL statements are counted.</summary>
public abstract class CountedServerFixture(DatabaseKind kind) : IAsyncLifetime
{
    public SqlStatementCounter Statements { get; } = new();

    public TesseraServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await TesseraServer.StartAsync(kind, PeopleImport.Create(), SqlStatementCounter.QuietSettings(), Statements.Register);

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}

public sealed class SqliteCountedServerFixture() : CountedServerFixture(DatabaseKind.Sqlite);

public sealed class PostgresCountedServerFixture() : CountedServerFixture(DatabaseKind.Postgres);

/// <summary>
/// Round trips to the database on the paths that run most (issue "Scale", items 4 and 5): a JWT's introspection reads
/// nothing, a refresh is at most four statements, and revoking a family costs the same whatever its size.
/// </summary>
public abstract class StatementCountTests(CountedServerFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly HttpClient _http = fixture.Server.CreateClient();
    private ProtocolClient Protocol => new(_http);
    private SqlStatementCounter Statements => fixture.Statements;

    [Fact]
    public async Task A_jwt_introspection_runs_no_statement_once_warm()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active);

        var count = await Statements.CountAsync(async () => Assert.True((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active));
        output.WriteLine($"JWT introspection: {count} statements");

        Assert.True(count == 0, Statements.Listing);
    }

    [Fact]
    public async Task A_revoked_jwt_is_refused_without_a_statement()
    {
        var token = (await Protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).AccessToken;
        Assert.Equal(200, (await Protocol.RevokeAsync(Service, ServiceSecret, token)).Status);

        var count = await Statements.CountAsync(async () => Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, token)).Active));
        output.WriteLine($"revoked JWT introspection: {count} statements");

        Assert.True(count == 0, Statements.Listing);
    }

    [Theory]
    [InlineData("message")]
    [InlineData("ledger")]
    public async Task A_refresh_runs_at_most_four_statements(string scope)
    {
        var tokens = await WebTokensAsync(fixture.Server, Protocol, "openid offline_access " + scope);
        var warm = await RefreshAsync(Protocol, RefreshTokenOf(tokens));
        ProtocolResponse refreshed = null!;

        var count = await Statements.CountAsync(async () => refreshed = await RefreshAsync(Protocol, RefreshTokenOf(warm)));
        output.WriteLine($"refresh ({scope}): {count} statements{Environment.NewLine}{Statements.Listing}");

        Assert.Equal(200, refreshed.Status);
        Assert.True(count <= 4, $"{count} statements:{Environment.NewLine}{Statements.Listing}");
    }

    [Theory]
    [InlineData("message")]
    [InlineData("ledger")]
    public async Task A_family_of_31_is_revoked_in_at_most_twelve_statements(string scope)
    {
        var response = await WebTokensAsync(fixture.Server, Protocol, "openid offline_access " + scope);
        var accessTokens = new List<string> { response.AccessToken };
        for (var i = 0; i < 30; i++)
        {
            response = await RefreshAsync(Protocol, RefreshTokenOf(response));
            accessTokens.Add(response.AccessToken);
        }

        var count = await Statements.CountAsync(async () => Assert.Equal(200, (await Protocol.RevokeAsync(PeopleImport.Web, PeopleImport.WebSecret, RefreshTokenOf(response))).Status));
        output.WriteLine($"family of 31 ({scope}): {count} statements{Environment.NewLine}{Statements.Listing}");

        Assert.True(count <= 12, $"{count} statements:{Environment.NewLine}{Statements.Listing}");
        foreach (var access in accessTokens) Assert.False((await Protocol.IntrospectAsync(Other, OtherSecret, access)).Active);
    }

    public void Dispose()
    {
        _http.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class StatementCountTests_Sqlite(SqliteCountedServerFixture fixture, ITestOutputHelper output)
    : StatementCountTests(fixture, output), IClassFixture<SqliteCountedServerFixture>;

public sealed class StatementCountTests_Postgres(PostgresCountedServerFixture fixture, ITestOutputHelper output)
    : StatementCountTests(fixture, output), IClassFixture<PostgresCountedServerFixture>;
