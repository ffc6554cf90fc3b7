using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Server.Configuration;

/// <summary>
/// The Data Protection key ring decrypts the signing keys, API secrets and the client-secret HMAC key. Kept in clear in
/// the same database, a copy of the database alone is a full compromise; so in Production the server starts only when
/// the key ring is encrypted with a certificate, kept in a directory outside the database, or the operator has
/// explicitly accepted the risk.
/// </summary>
internal static partial class KeyRingProtection
{
    public static void Validate(DataProtectionOptions options, IHostEnvironment environment, List<string> errors)
    {
        if (options.CertificatePath is { Length: > 0 } && !TryLoadCertificate(options, out _, out var problem))
            errors.Add(problem!);
        if (options.KeyRingPath is { Length: > 0 } directory && !Directory.Exists(directory))
            errors.Add($"Tessera:DataProtection:KeyRingPath '{directory}' is not an existing directory: create it, readable only by the server's account.");

        if (environment.IsProduction() && !IsProtected(options) && !options.AllowUnprotected)
            errors.Add("In Production the Data Protection key ring must not sit in clear in the database: set Tessera:DataProtection:CertificatePath " +
                "(with Tessera:DataProtection:CertificatePassword) to encrypt it, or Tessera:DataProtection:KeyRingPath to keep it in a directory " +
                "outside the database, or Tessera:DataProtection:AllowUnprotected=true to accept that a copy of the database reveals every key.");
    }

    /// <summary>Said at every start while the key ring is in clear, so the choice is never forgotten.</summary>
    public static void LogAtStart(DataProtectionOptions options, ILogger logger)
    {
        if (!IsProtected(options)) Log.KeyRingInClear(logger);
    }

    private static bool IsProtected(DataProtectionOptions options) =>
        options.CertificatePath is { Length: > 0 } || options.KeyRingPath is { Length: > 0 };

    /// <summary>The certificate that encrypts the key ring, or the reason it cannot be used.</summary>
    public static bool TryLoadCertificate(DataProtectionOptions options, out X509Certificate2? certificate, out string? problem)
    {
        certificate = null;
        problem = null;
        if (options.CertificatePath is not { Length: > 0 } path) return false;
        if (!File.Exists(path))
        {
            problem = $"Tessera:DataProtection:CertificatePath '{path}' does not exist.";
            return false;
        }
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
        }
        catch (CryptographicException)
        {
            // The password is never echoed.
            problem = $"Tessera:DataProtection:CertificatePath '{path}' cannot be read: not a PKCS#12 file, or a wrong Tessera:DataProtection:CertificatePassword.";
            return false;
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            certificate = null;
            problem = $"Tessera:DataProtection:CertificatePath '{path}' has no private key: the key ring could be encrypted but never read back.";
            return false;
        }
        return true;
    }
}
