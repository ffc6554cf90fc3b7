using Tessera.Testing;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>One server per database provider with the standard import, shared by every test class of its collection.</summary>
public abstract class ServerFixture(DatabaseKind kind) : IAsyncLifetime
{
    private TesseraServer? _server;

    public TesseraServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await TesseraServer.StartAsync(kind, TestClients.StandardImport());

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

public sealed class SqliteServerFixture() : ServerFixture(DatabaseKind.Sqlite);

public sealed class PostgresServerFixture() : ServerFixture(DatabaseKind.Postgres);

public sealed class PgBouncerServerFixture() : ServerFixture(DatabaseKind.PgBouncer);

[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqliteServerFixture>
{
    public const string Name = "sqlite";
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "postgres";
}

/// <summary>Suites that also run through PgBouncer in transaction mode (docs/deployment.md): a class X_PgBouncer beside X_Postgres.</summary>
[CollectionDefinition(Name)]
public sealed class PgBouncerCollection : ICollectionFixture<PgBouncerServerFixture>
{
    public const string Name = "pgbouncer";
}
