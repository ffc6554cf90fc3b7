using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tessera.Cli.Tests.Infrastructure;
using Tessera.Server.Configuration;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary>
/// <c>tessera pat create|list|revoke</c> as a process: the PAT made with the CLI works at an API that introspects it,
/// and stops working the moment it is revoked.
/// </summary>
public sealed class PersonalAccessTokenTests(SignedInFixture signedIn) : IClassFixture<SignedInFixture>
{
    private ProtocolClient Protocol => new(signedIn.Server.CreateClient());

    /// <summary>The API's view: it introspects the bearer token with its own credentials (RFC 7662).</summary>
    private Task<ProtocolResponse> ApiIntrospectsAsync(string token) =>
        Protocol.IntrospectAsync(CliServer.ResourceServer, CliServer.ResourceServerSecret, token);

    [Fact]
    public async Task A_pat_created_with_the_cli_is_accepted_through_introspection_until_it_is_revoked()
    {
        var created = await signedIn.Cli.RunAsync("pat", "create", "--name", "nightly report", "--scope", "ledger", "--expires-in-days", "7", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var json = JsonNode.Parse(created.Stdout)!;
        var token = (string)json["token"]!;
        var id = (string)json["id"]!;

        var active = await ApiIntrospectsAsync(token);
        Assert.True(active.Active);
        Assert.Equal(CliServer.LedgerAudience, (string?)active.Json["aud"]);
        Assert.Equal("ledger", (string?)active.Json["scope"]);

        var listed = await signedIn.Cli.RunAsync("pat", "list", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains(JsonNode.Parse(listed.Stdout)!.AsArray(), t => (string?)t!["id"] == id && (string?)t["name"] == "nightly report");
        Assert.DoesNotContain(token, listed.Stdout);

        var introspectedByCli = await signedIn.Cli.RunAsync("decode", token, "--introspect",
            "--client-id", CliServer.ResourceServer, "--client-secret", CliServer.ResourceServerSecret, "--json");
        Assert.True(introspectedByCli.ExitCode == 0, introspectedByCli.ToString());
        Assert.Equal("valid", (string?)JsonNode.Parse(introspectedByCli.Stdout)!["checksum"]);

        var revoked = await signedIn.Cli.RunAsync("pat", "revoke", id);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());

        Assert.False((await ApiIntrospectsAsync(token)).Active);
        var rejected = await signedIn.Cli.RunAsync("decode", token, "--introspect", "--client-id", CliServer.ResourceServer, "--client-secret", CliServer.ResourceServerSecret);
        Assert.Equal(4, rejected.ExitCode);
        Assert.Equal("error: The server says the token is not active (unknown, expired or revoked).", rejected.Stderr.Trim());
    }

    [Fact]
    public async Task Pat_create_prints_the_token_alone_on_standard_output_and_the_table_lists_it()
    {
        var created = await signedIn.Cli.RunAsync("pat", "create", "--name", "plain", "--scope", "message", "--expires-in-days", "1");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Matches("^tsr_pat_[0-9A-Za-z]{38}\n?$", created.Stdout);
        Assert.Contains("Copy it now", created.Stderr);
        var table = await signedIn.Cli.RunAsync("pat", "list");
        Assert.Contains("plain", table.Stdout);
        Assert.Contains("never", table.Stdout);
    }

    [Fact]
    public async Task A_scope_the_user_may_not_grant_is_refused_in_one_sentence()
    {
        var result = await signedIn.Cli.RunAsync("pat", "create", "--name", "root", "--scope", "tessera:admin");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: The server refused: scope 'tessera:admin' cannot be granted to a personal access token.", result.Stderr.Trim());
    }

    [Fact]
    public async Task Pat_create_tells_the_user_to_sign_in_again_when_the_sign_in_is_older_than_the_servers_max_auth_age()
    {
        // The server's options object is the one the PAT API reads: a one-second limit makes the fixture's sign-in old.
        var settings = signedIn.Server.GetService<IOptions<TesseraOptions>>().Value.PersonalAccessTokens;
        var configured = settings.MaxAuthAge;
        settings.MaxAuthAge = TimeSpan.FromSeconds(1);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            var result = await signedIn.Cli.RunAsync("pat", "create", "--name", "late", "--scope", "ledger");

            Assert.Equal(3, result.ExitCode);
            Assert.Equal("error: This needs a recent sign-in, and yours is too old: sign in again: tessera login", result.Stderr.Trim());
            Assert.Equal("", result.Stdout);
        }
        finally
        {
            settings.MaxAuthAge = configured;
        }
        var listed = await signedIn.Cli.RunAsync("pat", "list", "--json");
        Assert.DoesNotContain(JsonNode.Parse(listed.Stdout)!.AsArray(), t => (string?)t!["name"] == "late");
    }

    [Fact]
    public async Task The_cli_uses_TESSERA_TOKEN_when_it_is_set()
    {
        using var fresh = new TesseraCli();
        fresh.Environment["TESSERA_TOKEN"] = (await signedIn.Cli.RunAsync("token")).Stdout.Trim();

        var listed = await fresh.RunAsync("pat", "list", "--json", "--issuer", signedIn.Server.Issuer);
        Assert.True(listed.ExitCode == 0, listed.ToString());

        fresh.Environment["TESSERA_TOKEN"] = "tsr_at_not-a-token";
        var refused = await fresh.RunAsync("pat", "list", "--issuer", signedIn.Server.Issuer);
        Assert.Equal(3, refused.ExitCode);
    }
}
