using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tessera.Cli.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary>
/// <c>tessera login</c> (device flow, approved in headless Chromium), <c>tessera token</c>, <c>--export</c>, refresh and
/// <c>logout</c>, each run as a process against a real server on 127.0.0.1.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LoginAndTokenTests(SignedInFixture signedIn) : IClassFixture<SignedInFixture>
{
    private ProtocolClient Protocol => new(signedIn.Server.CreateClient());

    [Fact]
    public void Device_login_approved_in_Chromium_stores_the_session_in_a_file_only_the_user_can_read()
    {
        Assert.True(signedIn.Login.ExitCode == 0, signedIn.Login.ToString());
        Assert.Contains($"Signed in to {signedIn.Server.Issuer}", signedIn.Login.Stderr);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(signedIn.Cli.CredentialsFile));
        var stored = JsonNode.Parse(File.ReadAllText(signedIn.Cli.CredentialsFile))!;
        Assert.StartsWith("tsr_rt_", (string?)stored["refresh_token"]);
        Assert.Equal(signedIn.Server.Issuer, (string?)stored["issuer"]);
    }

    /// <summary>
    /// The token is for Tessera's own API (tessera:pats), which no other client may introspect (RFC 7662 §4): the PAT
    /// API accepting it shows it is active.
    /// </summary>
    private async Task<bool> AcceptedByThePatApiAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/pats");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return (await Protocol.SendAsync(request)).Status == 200;
    }

    [Fact]
    public async Task Token_prints_an_active_access_token_of_the_signed_in_user_and_nothing_else()
    {
        var result = await signedIn.Cli.RunAsync("token");

        Assert.True(result.ExitCode == 0, result.ToString());
        var token = result.Stdout.Trim();
        Assert.DoesNotContain('\n', token);
        Assert.True(await AcceptedByThePatApiAsync(token));
        var payload = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token);
        Assert.Equal(CliServer.CliClientId, payload.GetPayloadValue<string>("client_id"));
        Assert.Contains("tessera:pats", payload.GetPayloadValue<string>("scope"));
    }

    [Fact]
    public async Task Token_export_prints_a_line_a_shell_can_evaluate()
    {
        var result = await signedIn.Cli.RunAsync("token", "--export");

        Assert.True(result.ExitCode == 0, result.ToString());
        var match = Regex.Match(result.Stdout, "^export TESSERA_TOKEN='([A-Za-z0-9_.-]+)'\n?$");
        Assert.True(match.Success, result.Stdout);
        Assert.True(await AcceptedByThePatApiAsync(match.Groups[1].Value));
    }

    [Fact]
    public async Task An_expired_stored_access_token_is_refreshed_and_the_rotated_refresh_token_is_stored()
    {
        var before = JsonNode.Parse(File.ReadAllText(signedIn.Cli.CredentialsFile))!.AsObject();
        before["access_token_expires_at"] = 0;
        File.WriteAllText(signedIn.Cli.CredentialsFile, before.ToJsonString());

        var result = await signedIn.Cli.RunAsync("token");

        Assert.True(result.ExitCode == 0, result.ToString());
        var after = JsonNode.Parse(File.ReadAllText(signedIn.Cli.CredentialsFile))!;
        Assert.NotEqual((string?)before["refresh_token"], (string?)after["refresh_token"]);
        Assert.NotEqual((string?)before["access_token"], result.Stdout.Trim());
        Assert.True(await AcceptedByThePatApiAsync(result.Stdout.Trim()));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(signedIn.Cli.CredentialsFile));
    }

    [Fact]
    public async Task A_wrong_command_line_is_a_usage_error_in_one_sentence()
    {
        var result = await signedIn.Cli.RunAsync("tokne");

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.StartsWith("error: Unrecognized command or argument 'tokne'", result.Stderr);
    }

    [Theory]
    [InlineData("http://example.com")]
    [InlineData("http://10.0.0.8:5080")]
    public async Task Plain_http_to_another_machine_is_refused_before_anything_is_sent(string issuer)
    {
        // Client secrets, refresh tokens and admin tokens would cross the network in clear.
        var result = await new TesseraCli().RunAsync("decode", "tsr_at_abc", "--introspect", "--issuer", issuer, "--client-id", "x", "--client-secret", "y");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: The issuer '{issuer}' is plain http on another machine", result.Stderr);
    }

    [Fact]
    public async Task An_unreachable_server_exits_with_5()
    {
        var result = await new TesseraCli().RunAsync("decode", "tsr_at_abc", "--introspect", "--issuer", "http://127.0.0.1:9", "--client-id", "x", "--client-secret", "y");

        Assert.Equal(5, result.ExitCode);
        Assert.StartsWith("error: Could not reach http://127.0.0.1:9", result.Stderr);
    }
}
