using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Server.Storage;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// A copy of the database must not be enough to decrypt the signing keys and secrets: in Production the Data Protection
/// key ring is encrypted with a certificate, kept outside the database, or left in clear only by the operator's explicit choice.
/// </summary>
public sealed class KeyRingProtectionTests
{
    private const string CertificatePassword = "pfx-password";
    private static readonly string[] TheThreeSettings =
        ["Tessera:DataProtection:CertificatePath", "Tessera:DataProtection:KeyRingPath", "Tessera:DataProtection:AllowUnprotected"];

    private static Dictionary<string, string?> Production(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?> { [TesseraServer.EnvironmentSetting] = "Production", ["Tessera:DataProtection:AllowUnprotected"] = "false" };
        foreach (var (key, value) in settings) all[key] = value;
        return all;
    }

    [Fact]
    public async Task In_production_the_server_refuses_to_start_while_the_key_ring_would_sit_in_clear_in_the_database()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TesseraServer.StartAsync(DatabaseKind.Sqlite, StandardImport(), Production()));

        Assert.All(TheThreeSettings, setting => Assert.Contains(setting, error.Message));
    }

    [Fact]
    public async Task The_refusal_is_one_line_on_standard_error_and_a_non_zero_exit_code()
    {
        var directory = Directory.CreateTempSubdirectory("tessera-start-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Tessera.Server.dll"));
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Tessera__Database__ConnectionString"] = $"Data Source={Path.Combine(directory, "tessera.db")}";
            start.Environment["Urls"] = "http://127.0.0.1:0";
            using var process = Process.Start(start)!;
            var standardError = process.StandardError.ReadToEndAsync();
            var standardOutput = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }

            var lines = (await standardError).Trim().Split('\n');
            await standardOutput;
            Assert.NotEqual(0, process.ExitCode);
            Assert.Single(lines);
            Assert.StartsWith("tessera: cannot start.", lines[0]);
            Assert.All(TheThreeSettings, setting => Assert.Contains(setting, lines[0]));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task In_production_an_explicit_AllowUnprotected_lets_the_server_start()
    {
        await using var server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, StandardImport(),
            Production(("Tessera:DataProtection:AllowUnprotected", "true")));
        using var http = server.CreateClient();

        Assert.Equal(200, (await new ProtocolClient(http).ClientCredentialsAsync(Service, ServiceSecret, "message")).Status);
    }

    [Fact]
    public async Task In_development_the_server_starts_without_key_ring_protection()
    {
        await using var server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, StandardImport(),
            new Dictionary<string, string?> { [TesseraServer.EnvironmentSetting] = "Development", ["Tessera:DataProtection:AllowUnprotected"] = "false" });
        using var http = server.CreateClient();

        Assert.Equal(200, (await new ProtocolClient(http).ClientCredentialsAsync(Service, ServiceSecret, "message")).Status);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task With_a_certificate_a_copy_of_the_database_holds_no_master_key_in_clear(DatabaseKind kind)
    {
        var path = await WriteCertificateAsync(withPrivateKey: true);
        try
        {
            await using var server = await TesseraServer.StartAsync(kind, StandardImport(), Production(
                ("Tessera:DataProtection:CertificatePath", path), ("Tessera:DataProtection:CertificatePassword", CertificatePassword)));

            var xml = await DataProtectionRowsAsync(server);
            Assert.NotEmpty(xml);
            // In clear the key material sits in <masterKey><value>…</value>; encrypted, only <encryptedSecret> with EncryptedData remains.
            Assert.All(xml, x => Assert.Contains("<encryptedSecret", x));
            Assert.All(xml, x => Assert.Contains("EncryptedData", x));
            Assert.All(xml, x => Assert.DoesNotContain("<value>", x));

            // And the server still signs: the key ring decrypts with the certificate.
            using var http = server.CreateClient();
            Assert.Equal(200, (await new ProtocolClient(http).ClientCredentialsAsync(Service, ServiceSecret, "message")).Status);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task With_a_key_ring_path_the_database_holds_no_data_protection_key(DatabaseKind kind)
    {
        var directory = Directory.CreateTempSubdirectory("tessera-keyring-").FullName;
        try
        {
            await using var server = await TesseraServer.StartAsync(kind, StandardImport(), Production(("Tessera:DataProtection:KeyRingPath", directory)));
            using var http = server.CreateClient();
            Assert.Equal(200, (await new ProtocolClient(http).ClientCredentialsAsync(Service, ServiceSecret, "message")).Status);

            Assert.Empty(await DataProtectionRowsAsync(server));
            Assert.NotEmpty(Directory.GetFiles(directory, "key-*.xml"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("wrong password", "cannot be read")]
    [InlineData("no private key", "has no private key")]
    public async Task A_certificate_that_cannot_protect_the_key_ring_stops_the_start(string problem, string expected)
    {
        var path = problem == "missing"
            ? Path.Combine(Path.GetTempPath(), $"tessera-missing-{Guid.NewGuid():n}.pfx")
            : await WriteCertificateAsync(withPrivateKey: problem != "no private key");
        var password = problem == "wrong password" ? "not-the-password" : CertificatePassword;
        try
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TesseraServer.StartAsync(DatabaseKind.Sqlite, StandardImport(),
                Production(("Tessera:DataProtection:CertificatePath", path), ("Tessera:DataProtection:CertificatePassword", password))));

            Assert.Contains(expected, error.Message);
            Assert.DoesNotContain(password, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<List<string>> DataProtectionRowsAsync(TesseraServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TesseraDbContext>().DataProtectionKeys.Select(k => k.Xml ?? "").ToListAsync();
    }

    private static async Task<string> WriteCertificateAsync(bool withPrivateKey)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=tessera-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var exported = withPrivateKey ? certificate : X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert));
        var path = Path.Combine(Path.GetTempPath(), $"tessera-dp-{Guid.NewGuid():n}.pfx");
        await File.WriteAllBytesAsync(path, exported.Export(X509ContentType.Pfx, CertificatePassword));
        return path;
    }
}
