using System.Text.Json.Nodes;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Security;

/// <summary>
/// The import file at start creates what is missing and updates descriptive fields, but writes credentials (client
/// secrets, jwks, passwords) only when it creates the client or user — unless the operator passes
/// --import-overwrite-credentials — so a secret rotated or a password reset through the admin API survives a restart.
/// </summary>
public abstract class ImportCredentialTests(DatabaseKind kind)
{
    private const string RotatedSecret = "svc-rotated-secret-0123456789-abcd";
    private const string ResetPassword = "Alice-reset-pass-2";
    private const string ImportPassword = "Alice-test-pass-1";

    private static readonly Dictionary<string, string?> Overwrite = new() { ["Tessera:ImportOverwriteCredentials"] = "true" };

    /// <summary>An administrator rotates svc's secret and resets alice's password, then the server restarts with the same import.</summary>
    private static async Task ChangeCredentialsThroughTheAdminApiAsync(TestDatabase database)
    {
        await using var server = await TesseraServer.StartAsync(database, StandardImport());
        var protocol = new ProtocolClient(server.CreateClient());
        var svc = (await AdminApi.SendJsonAsync(protocol, HttpMethod.Get, $"/admin/clients/{Service}")).Json;
        svc["clientSecret"] = RotatedSecret;
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, $"/admin/clients/{Service}", svc)).Status);
        Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, "/admin/users/alice", new { password = ResetPassword })).Status);
    }

    private static async Task<int> SignInStatusAsync(TesseraServer server, string password)
    {
        using var browser = new Browser(server);
        var page = await browser.GetAsync("/account/sign-in");
        return (await browser.SubmitAsync(page, "/account/sign-in", [("username", "alice"), ("password", password)])).Status;
    }

    [Fact]
    public async Task A_restart_with_the_import_keeps_a_client_secret_and_a_password_changed_through_the_admin_api()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await ChangeCredentialsThroughTheAdminApiAsync(database);

        // The attack the rule stops: the operator rotated a leaked secret; the restart must not bring it back.
        await using var restarted = await TesseraServer.StartAsync(database, StandardImport());
        var protocol = new ProtocolClient(restarted.CreateClient());

        Assert.Equal(401, (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).Status);
        Assert.Equal(200, (await protocol.ClientCredentialsAsync(Service, RotatedSecret, "message")).Status);
        Assert.Equal(400, await SignInStatusAsync(restarted, ImportPassword));
        Assert.Equal(302, await SignInStatusAsync(restarted, ResetPassword));
    }

    [Fact]
    public async Task A_restart_with_the_import_keeps_jwks_changed_through_the_admin_api()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var replacement = new Microsoft.IdentityModel.Tokens.ECDsaSecurityKey(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256)) { KeyId = "rotated-1" };
        await using (var server = await TesseraServer.StartAsync(database, StandardImport()))
        {
            var protocol = new ProtocolClient(server.CreateClient());
            var client = (await AdminApi.SendJsonAsync(protocol, HttpMethod.Get, $"/admin/clients/{KeyClient}")).Json;
            client["jwks"] = PublicJwks(replacement);
            Assert.Equal(200, (await AdminApi.SendJsonAsync(protocol, HttpMethod.Put, $"/admin/clients/{KeyClient}", client)).Status);
        }

        await using var restarted = await TesseraServer.StartAsync(database, StandardImport());
        var shown = (await AdminApi.SendJsonAsync(new ProtocolClient(restarted.CreateClient()), HttpMethod.Get, $"/admin/clients/{KeyClient}")).Json;

        Assert.Equal("rotated-1", (string?)shown["jwks"]!["keys"]![0]!["kid"]);
    }

    [Fact]
    public async Task With_import_overwrite_credentials_the_files_secret_and_password_replace_the_stored_ones()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await ChangeCredentialsThroughTheAdminApiAsync(database);

        await using var restarted = await TesseraServer.StartAsync(database, StandardImport(), Overwrite);
        var protocol = new ProtocolClient(restarted.CreateClient());

        Assert.Equal(200, (await protocol.ClientCredentialsAsync(Service, ServiceSecret, "message")).Status);
        Assert.Equal(401, (await protocol.ClientCredentialsAsync(Service, RotatedSecret, "message")).Status);
        Assert.Equal(302, await SignInStatusAsync(restarted, ImportPassword));
        Assert.Equal(400, await SignInStatusAsync(restarted, ResetPassword));
    }

    [Fact]
    public async Task A_client_new_in_the_import_gets_the_files_credentials()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using (await TesseraServer.StartAsync(database, StandardImport()))
        {
        }
        var grown = StandardImport();
        grown["clients"]!.AsArray().Add(new JsonObject
        {
            ["clientId"] = "late", ["clientSecret"] = "late-secret-0123456789-abcdefghij",
            ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("message"),
        });

        await using var restarted = await TesseraServer.StartAsync(database, grown);

        Assert.Equal(200, (await new ProtocolClient(restarted.CreateClient()).ClientCredentialsAsync("late", "late-secret-0123456789-abcdefghij", "message")).Status);
    }
}

public sealed class ImportCredentialTests_Sqlite() : ImportCredentialTests(DatabaseKind.Sqlite);

public sealed class ImportCredentialTests_Postgres() : ImportCredentialTests(DatabaseKind.Postgres);
