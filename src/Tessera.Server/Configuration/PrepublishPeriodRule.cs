namespace Tessera.Server.Configuration;

/// <summary>
/// The next signing key is created <c>PrepublishPeriod</c> before the current key's <c>RotationPeriod</c> ends (KeyManager),
/// so the period must fit inside the rotation: as long or longer, the next key would be due the moment the current one
/// starts signing.
/// </summary>
internal static class PrepublishPeriodRule
{
    public static void Validate(KeyOptions keys, List<string> errors)
    {
        if (keys.PrepublishPeriod < TimeSpan.Zero || keys.PrepublishPeriod >= keys.RotationPeriod)
            errors.Add("Tessera:Keys:PrepublishPeriod must be at least zero and shorter than RotationPeriod.");
    }
}
