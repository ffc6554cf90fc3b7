namespace Tessera.Server.Areas.Console;

/// <summary>The console's addresses, relative to the issuer.</summary>
internal static class ConsolePaths
{
    /// <summary>For an administrator who has no second factor to give yet.</summary>
    public const string SecondFactor = "/console/second-factor";
}
