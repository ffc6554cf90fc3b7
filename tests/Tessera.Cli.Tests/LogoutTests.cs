using Tessera.Cli.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera logout</c> ends the session at the server too; a denied device login exits with "not signed in".</summary>
public sealed class LogoutTests(SignedInFixture signedIn) : IClassFixture<SignedInFixture>
{
    [Fact]
    public async Task Logout_revokes_the_refresh_token_deletes_the_file_and_token_then_exits_3()
    {
        var refreshToken = (string)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(signedIn.Cli.CredentialsFile))!["refresh_token"]!;

        var logout = await signedIn.Cli.RunAsync("logout");
        var token = await signedIn.Cli.RunAsync("token", "--issuer", signedIn.Server.Issuer);

        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.Equal("Signed out.", logout.Stderr.Trim());
        Assert.False(File.Exists(signedIn.Cli.CredentialsFile));
        var refresh = await new ProtocolClient(signedIn.Server.CreateClient()).PostAsync("/connect/token", null,
            ("grant_type", "refresh_token"), ("client_id", CliServer.CliClientId), ("refresh_token", refreshToken));
        Assert.Equal("invalid_grant", refresh.Error);
        Assert.Equal(3, token.ExitCode);
        Assert.Equal("error: Not signed in: run 'tessera login --issuer URL' first.", token.Stderr.Trim());
        Assert.Empty(token.Stdout);
    }

    [Fact]
    public async Task A_device_login_the_user_denies_exits_3_and_stores_nothing()
    {
        using var cli = new TesseraCli();

        var result = await DeviceLoginInChromium.RunAsync(cli, signedIn.Server.Issuer, "deny");

        Assert.Equal(3, result.ExitCode);
        Assert.EndsWith("error: The sign-in was denied.", result.Stderr.Trim());
        Assert.False(File.Exists(cli.CredentialsFile));
    }
}
