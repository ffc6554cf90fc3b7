using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Tessera.Server.Configuration;

namespace Tessera.Server.Storage;

internal static class StorageRegistration
{
    /// <summary>Registers the provider's context, and <see cref="TesseraDbContext"/> as an alias for it.</summary>
    public static IServiceCollection AddTesseraStorage(this IServiceCollection services, DatabaseOptions database)
    {
        if (database.Provider == DatabaseProviders.Postgres)
        {
            services.AddPooledDbContextFactory<PostgresTesseraDbContext>(o => o.UseNpgsql(PostgresConnectionString.For(database)));
            AddAliases<PostgresTesseraDbContext>(services);
            if (!string.IsNullOrWhiteSpace(database.ReadConnectionString))
            {
                var replica = PostgresConnectionString.For(database, database.ReadConnectionString);
                // The primary's options (interceptors and all) with the replica's connection string.
                services.AddSingleton(sp => new ReadReplica(new DbContextOptionsBuilder<PostgresTesseraDbContext>(
                    sp.GetRequiredService<DbContextOptions<PostgresTesseraDbContext>>()).UseNpgsql(replica).Options));
            }
        }
        else
        {
            EnsureSqliteDirectory(database.ConnectionString);
            services.AddPooledDbContextFactory<SqliteTesseraDbContext>(o => UseSqlite(o, database.ConnectionString));
            AddAliases<SqliteTesseraDbContext>(services);
        }
        return services;
    }

    private static void AddAliases<TContext>(IServiceCollection services) where TContext : TesseraDbContext
    {
        services.AddScoped<TesseraDbContext>(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
        services.AddSingleton<ITesseraDbContextFactory, TesseraDbContextFactory<TContext>>();
    }

    private static void UseSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString).AddInterceptors(SqlitePragmas.Instance);

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
    }

    /// <summary>
    /// WAL lets readers run beside the writer; NORMAL sync in WAL mode is durable against process crashes (a power loss
    /// may drop the last commits). Set once per physical connection: pooled connections keep their settings.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();
        private static readonly ConditionalWeakTable<object, object> Configured = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            // The native handle is the physical connection that the pool hands out again and again.
            var handle = ((SqliteConnection)connection).Handle;
            if (handle is null || Configured.TryGetValue(handle, out _)) return;
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";
            command.ExecuteNonQuery();
            Configured.AddOrUpdate(handle, handle);
        }
    }
}

/// <summary>Creates short-lived contexts for singletons (caches, background jobs) without knowing the provider.</summary>
internal interface ITesseraDbContextFactory
{
    TesseraDbContext Create();

    /// <summary>Whether <see cref="CreateForLaggingReads"/> reaches a read replica rather than the primary.</summary>
    bool HasReadReplica { get; }

    /// <summary>
    /// A context on the read replica (<c>Tessera:Database:ReadConnectionString</c>), or on the primary without one: only
    /// for reads that may lag behind the primary, and never for a write.
    /// </summary>
    TesseraDbContext CreateForLaggingReads();
}

internal sealed class TesseraDbContextFactory<TContext>(IDbContextFactory<TContext> inner, IServiceProvider services) : ITesseraDbContextFactory
    where TContext : TesseraDbContext
{
    private readonly ReadReplica? _replica = services.GetService<ReadReplica>();

    public TesseraDbContext Create() => inner.CreateDbContext();

    public bool HasReadReplica => _replica is not null;

    public TesseraDbContext CreateForLaggingReads() => _replica?.Create() ?? inner.CreateDbContext();
}

/// <summary>
/// Contexts on the PostgreSQL read replica. Not pooled: they serve only introspection misses and the revocation poll,
/// and their own Npgsql pool (one per connection string) is bounded like the primary's.
/// </summary>
internal sealed class ReadReplica(DbContextOptions<PostgresTesseraDbContext> options)
{
    public TesseraDbContext Create() => new PostgresTesseraDbContext(options);
}
