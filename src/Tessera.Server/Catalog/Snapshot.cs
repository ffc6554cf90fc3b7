using Tessera.Server.Keys;

namespace Tessera.Server.Catalog;

/// <summary>What a request reads instead of the database: clients, APIs and keys as of one change-stamp version.</summary>
public sealed record Snapshot(ClientCatalog Catalog, KeyRing Keys);
