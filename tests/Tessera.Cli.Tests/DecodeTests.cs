using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Cli.Tests.Infrastructure;
using Tessera.Protocol;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary>
/// <c>tessera decode</c> as a process: the verdict of <c>--verify</c> on a good, an expired, a tampered and a
/// foreign-key token, each with its exit code; PATs checked offline by their checksum.
/// </summary>
public sealed class DecodeTests(CliServerFixture fixture) : IClassFixture<CliServerFixture>, IDisposable
{
    private readonly TesseraCli _cli = new();
    private ProtocolClient Protocol => new(fixture.Server.CreateClient());

    private async Task<string> JwtAsync(string scope) =>
        (await Protocol.ClientCredentialsAsync(CliServer.ResourceServer, CliServer.ResourceServerSecret, scope)).AccessToken;

    private Task<CliResult> VerifyAsync(string token, params string[] extra) =>
        _cli.RunAsync(["decode", token, "--verify", "--issuer", fixture.Issuer, .. extra]);

    [Fact]
    public async Task A_good_token_verifies_against_the_issuers_jwks_with_exit_code_0()
    {
        var result = await VerifyAsync(await JwtAsync("message"), "--audience", CliServer.MessagesAudience, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.Stdout)!;
        Assert.Equal("RS256", (string?)json["header"]!["alg"]);
        Assert.Equal(CliServer.MessagesAudience, (string?)json["payload"]!["aud"]);
        Assert.StartsWith("expires in 1", (string?)json["times"]!["exp"]!["relative"]);
        Assert.True((bool)json["verification"]!["valid"]!);
        Assert.All(json["verification"]!["checks"]!.AsArray(), c => Assert.NotEqual("failed", (string?)c!["outcome"]));
    }

    [Fact]
    public async Task An_expired_token_fails_the_exp_check_with_exit_code_4()
    {
        var token = await JwtAsync("short");
        await Task.Delay(TimeSpan.FromSeconds(2.2));

        var result = await VerifyAsync(token);

        Assert.Equal(4, result.ExitCode);
        Assert.Matches(@"^error: The token is not valid: exp: expired \d+ seconds? ago\.$", LastLine(result.Stderr));
        Assert.Contains("not valid", result.Stdout);
    }

    [Fact]
    public async Task A_tampered_token_fails_the_signature_check_with_exit_code_4()
    {
        var parts = (await JwtAsync("message")).Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["scope"] = "message message:admin";
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";

        var result = await VerifyAsync(tampered);

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("error: The token is not valid: signature: the signature does not match the key (the token was changed, or signed with another key).", LastLine(result.Stderr));
    }

    [Fact]
    public async Task A_token_signed_with_a_foreign_key_fails_the_signature_check_with_exit_code_4()
    {
        var genuine = new JsonWebToken(await JwtAsync("message"));
        var foreignKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "foreign-key" };
        var forged = new JsonWebTokenHandler().CreateToken(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(genuine.EncodedPayload)),
            new SigningCredentials(foreignKey, SecurityAlgorithms.RsaSha256), new Dictionary<string, object> { ["typ"] = "at+jwt" });

        var result = await VerifyAsync(forged);

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("error: The token is not valid: signature: no key with kid 'foreign-key' is in the key set (signed by another key?).", LastLine(result.Stderr));
    }

    [Fact]
    public async Task A_jwks_file_and_an_expected_audience_are_honoured()
    {
        var jwks = Path.Combine(_cli.ConfigDirectory, "jwks.json");
        await File.WriteAllTextAsync(jwks, await fixture.Server.CreateClient().GetStringAsync("/.well-known/jwks"));
        var token = await JwtAsync("message");

        var good = await _cli.RunAsync("decode", token, "--verify", "--jwks", jwks);
        var wrongAudience = await _cli.RunAsync("decode", token, "--verify", "--jwks", jwks, "--audience", "https://api.example/other");

        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Equal(4, wrongAudience.ExitCode);
        Assert.Contains("aud: the audience is 'https://api.example/messages', not 'https://api.example/other'", wrongAudience.Stderr);
    }

    [Fact]
    public async Task An_hs256_token_verifies_with_its_apis_secret_and_not_with_another()
    {
        var admin = (await Protocol.ClientCredentialsAsync(CliServer.Admin, CliServer.AdminSecret, "tessera:admin")).AccessToken;
        using var reset = new HttpRequestMessage(HttpMethod.Post, "/admin/apis/reports/signing-secret");
        reset.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        var secret = (string)(await Protocol.SendAsync(reset)).Json["secret"]!;
        var token = await JwtAsync("reports");
        var secretFile = Path.Combine(_cli.ConfigDirectory, "secret");
        await File.WriteAllTextAsync(secretFile, secret + "\n");

        var good = await VerifyAsync(token, "--secret-file", secretFile);
        var wrong = await VerifyAsync(token, "--secret", Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)));

        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Equal(4, wrong.ExitCode);
        Assert.True(wrong.Stderr.Contains("signature: the signature does not match", StringComparison.Ordinal), wrong.Stderr);
    }

    [Fact]
    public async Task A_pat_with_one_wrong_character_fails_the_checksum_offline()
    {
        var pat = PersonalAccessTokenFormat.New();
        var typo = pat[..20] + (pat[20] == 'x' ? 'y' : 'x') + pat[21..];

        var good = await _cli.RunAsync("decode", pat);
        var bad = await _cli.RunAsync("decode", typo, "--json");

        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Contains("checksum: valid", good.Stdout);
        Assert.Equal(4, bad.ExitCode);
        Assert.Equal("invalid", (string?)JsonNode.Parse(bad.Stdout)!["checksum"]);
        Assert.Equal("error: The checksum does not match: this is not a personal access token Tessera issued (a typo or a changed character?).", bad.Stderr.Trim());
    }

    [Fact]
    public async Task Opaque_handles_are_recognized_and_a_token_is_read_from_standard_input()
    {
        var opaque = await JwtAsync("ledger");

        var fromStdin = await _cli.RunWithInputAsync(opaque + "\n", "decode", "-");
        var garbage = await _cli.RunAsync("decode", "hello");

        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());
        Assert.Contains("Tessera opaque access token", fromStdin.Stdout);
        Assert.Contains("--introspect", fromStdin.Stdout);
        Assert.Equal(4, garbage.ExitCode);
    }

    [Fact]
    public async Task Verify_on_a_handle_fails_with_exit_code_4_instead_of_passing_having_checked_nothing()
    {
        var opaque = await JwtAsync("ledger");

        var verified = await _cli.RunAsync("decode", opaque, "--verify");

        Assert.Equal(4, verified.ExitCode);
        Assert.Equal("error: A handle cannot be verified offline: only the server knows it. Ask the server with --introspect (and a client allowed to introspect it).",
            LastLine(verified.Stderr));
    }

    /// <summary>The error sentence: the last line on standard error (a progress line may come before it).</summary>
    private static string LastLine(string stderr) => stderr.TrimEnd().Split('\n')[^1];

    public void Dispose() => _cli.Dispose();
}
