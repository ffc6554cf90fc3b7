namespace Tessera.Server.Configuration;

/// <summary>
/// <c>Tessera:Database:Provider</c> names a provider the server ships, and a read replica is only named for PostgreSQL. Code, not an attribute: the message repeats the
/// value it refuses, so a wrong case or a stray space shows.
/// </summary>
internal static class DatabaseProviderRule
{
    public static void Validate(DatabaseOptions database, List<string> errors)
    {
        if (database.Provider is not (DatabaseProviders.Sqlite or DatabaseProviders.Postgres))
            errors.Add($"Tessera:Database:Provider must be '{DatabaseProviders.Sqlite}' or '{DatabaseProviders.Postgres}', not '{database.Provider}'.");
        // A SQLite file has no replica: a read connection string there is a mistake, not something to ignore.
        if (!string.IsNullOrWhiteSpace(database.ReadConnectionString) && database.Provider != DatabaseProviders.Postgres)
            errors.Add("Tessera:Database:ReadConnectionString needs Tessera:Database:Provider 'postgres'.");
    }
}
