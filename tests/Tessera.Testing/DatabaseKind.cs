namespace Tessera.Testing;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}
