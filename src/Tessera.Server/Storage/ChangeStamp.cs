namespace Tessera.Server.Storage;

/// <summary>
/// One row whose version grows whenever clients, APIs or keys change; every node polls it to know when to reload its caches.
/// </summary>
public sealed class ChangeStamp
{
    public const int SingletonId = 1;
    public int Id { get; set; }
    public long Version { get; set; }
}
