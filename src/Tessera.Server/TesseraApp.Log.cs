namespace Tessera.Server;

public static partial class TesseraApp
{
    // KeyRingProtection logs under Tessera.Startup too, as event 4.
    /// <summary>The start-up messages (Tessera.Startup), source-generated.</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Issuer {Issuer}; database {Provider}")]
        public static partial void Starting(ILogger logger, string issuer, string provider);

        [LoggerMessage(2, LogLevel.Information, "Applied import file {Path}, overwriting stored credentials")]
        public static partial void ImportAppliedOverwritingCredentials(ILogger logger, string path);

        [LoggerMessage(3, LogLevel.Information, "Applied import file {Path}; credentials of clients and users that existed already were kept")]
        public static partial void ImportAppliedKeepingCredentials(ILogger logger, string path);
    }
}
