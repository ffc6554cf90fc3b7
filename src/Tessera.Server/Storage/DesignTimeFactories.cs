using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Tessera.Server.Storage;

// Used only by `dotnet ef migrations add`, one migration set per provider.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTesseraDbContext>
{
    public SqliteTesseraDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteTesseraDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresTesseraDbContext>
{
    public PostgresTesseraDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresTesseraDbContext>().UseNpgsql("Host=localhost").Options);
}
