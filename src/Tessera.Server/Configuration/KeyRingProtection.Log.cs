namespace Tessera.Server.Configuration;

internal static partial class KeyRingProtection
{
    // Logged under Tessera.Startup (the logger TesseraApp passes), whose events 1–3 are TesseraApp's: this is event 4.
    /// <summary>The key ring's warning at start, source-generated.</summary>
    private static partial class Log
    {
        [LoggerMessage(4, LogLevel.Warning, "The Data Protection key ring is stored in clear in the database: a copy of the database reveals the signing keys " +
            "and secrets. Set Tessera:DataProtection:CertificatePath or Tessera:DataProtection:KeyRingPath.")]
        public static partial void KeyRingInClear(ILogger logger);
    }
}
