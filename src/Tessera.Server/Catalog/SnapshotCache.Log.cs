namespace Tessera.Server.Catalog;

internal sealed partial class SnapshotCache
{
    /// <summary>The cache's log messages, source-generated: nothing is formatted when the level is off.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Loaded configuration version {Version}: {Clients} clients, {Apis} APIs, {Keys} published keys")]
        public static partial void ConfigurationLoaded(ILogger logger, long version, int clients, int apis, int keys);

        [LoggerMessage(2, LogLevel.Information, "Reloaded the published keys for a token signed with a key this node did not know: {Keys} published keys")]
        public static partial void KeysReloaded(ILogger logger, int keys);
    }
}
