namespace Tessera.Server.Catalog;

internal sealed partial class KeyManager
{
    /// <summary>The key manager's log messages, source-generated. Key ids are public (they are in the JWKS); key material is never logged.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Created the first {Algorithm} signing key")]
        public static partial void FirstKeyCreated(ILogger logger, string algorithm);

        [LoggerMessage(2, LogLevel.Information, "Published the next {Algorithm} signing key {KeyId}, signing from {ActivatesAt:o}")]
        public static partial void NextKeyPublished(ILogger logger, string algorithm, string keyId, DateTimeOffset activatesAt);

        [LoggerMessage(3, LogLevel.Warning, "Rotated the {Algorithm} signing key now: {KeyId} signs from this moment")]
        public static partial void KeyRotatedNow(ILogger logger, string algorithm, string keyId);
    }
}
