using Microsoft.AspNetCore.DataProtection;
using Tessera.Server.Configuration;
using DataProtectionOptions = Tessera.Server.Configuration.DataProtectionOptions;

namespace Tessera.Server.Storage;

/// <summary>Where the Data Protection key ring lives and how it is encrypted (the rules are in <see cref="KeyRingProtection"/>).</summary>
internal static class DataProtectionRegistration
{
    public static void AddTesseraDataProtection(this IServiceCollection services, DataProtectionOptions options)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("Tessera");
        // In the database by default, so every node can decrypt what another node encrypted; or in the operator's directory.
        if (options.KeyRingPath is { Length: > 0 } directory) dataProtection.PersistKeysToFileSystem(new DirectoryInfo(directory));
        else dataProtection.PersistKeysToDbContext<TesseraDbContext>();
        // An unreadable certificate is not used here: the options validator stops the start with the reason.
        if (KeyRingProtection.TryLoadCertificate(options, out var certificate, out _)) dataProtection.ProtectKeysWithCertificate(certificate!);
    }
}
