namespace Tessera.Testing;

public enum DatabaseKind
{
    Sqlite,
    Postgres,

    /// <summary>PostgreSQL through PgBouncer in transaction mode, the server told so (<c>Tessera:Database:PgBouncer</c>).</summary>
    PgBouncer,
}
