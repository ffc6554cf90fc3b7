using System.Text.Json.Nodes;
using Tessera.Cli.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary>
/// <c>tessera clients|apis|users|keys</c> as a process, with an administrative client's token in TESSERA_TOKEN, obtained
/// as the README shows: <c>tessera token --client-id … --client-secret-file … --scope tessera:admin</c>.
/// </summary>
public sealed class AdminCommandTests(CliServerFixture fixture) : IClassFixture<CliServerFixture>, IAsyncLifetime, IDisposable
{
    private readonly TesseraCli _cli = new();
    private ProtocolClient Protocol => new(fixture.Server.CreateClient());

    public async Task InitializeAsync()
    {
        _cli.Environment["TESSERA_ISSUER"] = fixture.Issuer;
        var secretFile = Path.Combine(_cli.ConfigDirectory, "admin-secret");
        await File.WriteAllTextAsync(secretFile, CliServer.AdminSecret + "\n");
        var token = await _cli.RunAsync("token", "--client-id", CliServer.Admin, "--client-secret-file", secretFile, "--scope", "tessera:admin");
        if (token.ExitCode != 0) throw new InvalidOperationException(token.ToString());
        _cli.Environment["TESSERA_TOKEN"] = token.Stdout.Trim();
    }

    private string WriteFile(string name, JsonObject content)
    {
        var path = Path.Combine(_cli.ConfigDirectory, name);
        File.WriteAllText(path, content.ToJsonString());
        return path;
    }

    [Fact]
    public async Task A_client_is_created_from_a_file_with_its_secret_printed_once_then_updated_and_deleted()
    {
        var id = "made-" + Guid.NewGuid().ToString("n")[..8];
        var file = WriteFile("client.json", new JsonObject { ["clientId"] = id, ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("message") });

        var created = await _cli.RunAsync("clients", "create", "--file", file);

        Assert.True(created.ExitCode == 0, created.ToString());
        var secret = created.Stdout.Trim();
        Assert.Equal(200, (await Protocol.ClientCredentialsAsync(id, secret, "message")).Status);
        var listed = await _cli.RunAsync("clients", "list", "--json");
        Assert.Contains(JsonNode.Parse(listed.Stdout)!.AsArray(), c => (string?)c!["clientId"] == id);
        Assert.DoesNotContain(secret, listed.Stdout);

        var shown = JsonNode.Parse((await _cli.RunAsync("clients", "show", id)).Stdout)!.AsObject();
        shown["scopes"] = new JsonArray("ledger");
        var updated = await _cli.RunAsync("clients", "update", id, "--file", WriteFile("edited.json", shown));
        Assert.True(updated.ExitCode == 0, updated.ToString());
        Assert.Equal(200, (await Protocol.ClientCredentialsAsync(id, secret, "ledger")).Status);

        var deleted = await _cli.RunAsync("clients", "delete", id);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal("invalid_client", (await Protocol.ClientCredentialsAsync(id, secret, "ledger")).Error);
        var again = await _cli.RunAsync("clients", "delete", id);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal("error: Not found: no client of that name.", again.Stderr.Trim());
    }

    [Fact]
    public async Task An_invalid_client_file_is_refused_with_the_import_validators_sentence()
    {
        var file = WriteFile("bad.json", new JsonObject { ["clientId"] = "bad", ["grantTypes"] = new JsonArray("client_credentials"), ["scopes"] = new JsonArray("nope") });

        var result = await _cli.RunAsync("clients", "create", "--file", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^error: The server refused: \$\.clients\[\d+\]\.scopes\[0\] 'nope' is not a scope of any API resource\.$", result.Stderr.Trim());
    }

    [Fact]
    public async Task Apis_users_and_keys_are_listed_and_a_key_rotation_publishes_a_new_key()
    {
        var apis = await _cli.RunAsync("apis", "list");
        Assert.True(apis.ExitCode == 0, apis.ToString());
        Assert.Contains("https://api.example/ledger", apis.Stdout);

        var passwordFile = Path.Combine(_cli.ConfigDirectory, "password");
        await File.WriteAllTextAsync(passwordFile, "Cli-made-pass-1\n");
        var username = "bob-" + Guid.NewGuid().ToString("n")[..6];
        Assert.Equal(0, (await _cli.RunAsync("users", "create", username, "--password-file", passwordFile, "--name", "Bob")).ExitCode);
        var users = JsonNode.Parse((await _cli.RunAsync("users", "list", "--json")).Stdout)!.AsArray();
        Assert.Contains(users, u => (string?)u!["username"] == username && (string?)u["name"] == "Bob");
        Assert.Equal(0, (await _cli.RunAsync("users", "delete", username)).ExitCode);

        var before = JsonNode.Parse((await _cli.RunAsync("keys", "list", "--json")).Stdout)!.AsArray();
        var rotated = await _cli.RunAsync("keys", "rotate", "--json");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        var kid = (string)JsonNode.Parse(rotated.Stdout)!["kid"]!;
        Assert.DoesNotContain(before, k => (string?)k!["kid"] == kid);
        var after = JsonNode.Parse((await _cli.RunAsync("keys", "list", "--json")).Stdout)!.AsArray();
        Assert.Contains(after, k => (string?)k!["kid"] == kid && (string?)k["status"] == "current");
    }

    [Fact]
    public async Task Roles_are_created_from_a_file_and_a_users_roles_are_set_added_and_removed()
    {
        var role = "editor-" + Guid.NewGuid().ToString("n")[..6];
        var other = "reader-" + Guid.NewGuid().ToString("n")[..6];
        Assert.Equal(0, (await _cli.RunAsync("roles", "create", "--file", WriteFile("role.json",
            new JsonObject { ["name"] = role, ["permissions"] = new JsonArray("message") }))).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("roles", "create", "--file", WriteFile("other.json",
            new JsonObject { ["name"] = other, ["permissions"] = new JsonArray("ledger") }))).ExitCode);
        var bad = await _cli.RunAsync("roles", "create", "--file", WriteFile("bad.json",
            new JsonObject { ["name"] = "bad", ["permissions"] = new JsonArray("nope") }));
        var passwordFile = Path.Combine(_cli.ConfigDirectory, "erin-password");
        await File.WriteAllTextAsync(passwordFile, "Erin-cli-pass-1\n");
        var username = "erin-" + Guid.NewGuid().ToString("n")[..6];
        Assert.Equal(0, (await _cli.RunAsync("users", "create", username, "--password-file", passwordFile)).ExitCode);

        var set = await _cli.RunAsync("users", "roles", "set", username, role);
        var added = await _cli.RunAsync("users", "roles", "add", username, other, "--json");
        var removed = await _cli.RunAsync("users", "roles", "remove", username, role);
        var unknown = await _cli.RunAsync("users", "roles", "add", username, "ghost");
        var listed = JsonNode.Parse((await _cli.RunAsync("roles", "list", "--json")).Stdout)!.AsArray();

        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("error: The server refused: $.permissions[0] 'nope' is not a scope of any API resource.", bad.Stderr.Trim());
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Equal($"{username}: {role}", set.Stdout.Trim());
        Assert.Equal(new[] { other, role }.Order(StringComparer.Ordinal), JsonNode.Parse(added.Stdout)!["roles"]!.AsArray().Select(r => (string)r!).Order(StringComparer.Ordinal));
        Assert.Equal($"{username}: {other}", removed.Stdout.Trim());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("error: The server refused: roles: 'ghost' is not a role.", unknown.Stderr.Trim());
        Assert.Contains(listed, r => (string?)r!["name"] == role && (string?)r["permissions"]![0] == "message");
    }

    [Fact]
    public async Task A_user_disabled_by_the_cli_cannot_sign_in_until_enabled_again()
    {
        var passwordFile = Path.Combine(_cli.ConfigDirectory, "carol-password");
        const string Password = "Carol-cli-pass-1";
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        var username = "carol-" + Guid.NewGuid().ToString("n")[..6];
        Assert.Equal(0, (await _cli.RunAsync("users", "create", username, "--password-file", passwordFile)).ExitCode);
        Assert.True(await SignsInAsync(username, Password));

        var disabled = await _cli.RunAsync("users", "disable", username, "--json");

        Assert.True(disabled.ExitCode == 0, disabled.ToString());
        Assert.True((bool)JsonNode.Parse(disabled.Stdout)!["disabled"]!);
        Assert.False(await SignsInAsync(username, Password));
        var listed = JsonNode.Parse((await _cli.RunAsync("users", "list", "--json")).Stdout)!.AsArray();
        Assert.Contains(listed, u => (string?)u!["username"] == username && (bool)u["disabled"]!);

        var enabled = await _cli.RunAsync("users", "enable", username);
        Assert.True(enabled.ExitCode == 0, enabled.ToString());
        Assert.Equal($"Enabled user {username}.", enabled.Stderr.Trim());
        Assert.True(await SignsInAsync(username, Password));

        var revoked = await _cli.RunAsync("users", "revoke", username);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Equal($"Ended every session and token of {username}.", revoked.Stderr.Trim());
        var requiring = await _cli.RunAsync("users", "update", username, "--require-mfa", "true", "--json");
        Assert.True(requiring.ExitCode == 0, requiring.ToString());
        Assert.True((bool)JsonNode.Parse(requiring.Stdout)!["requireMfa"]!);
        var reset = await _cli.RunAsync("users", "reset-mfa", username);
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal($"Turned off two-factor sign-in of {username}; their sessions and tokens have ended.", reset.Stderr.Trim());
        var unknown = await _cli.RunAsync("users", "disable", "nobody-" + Guid.NewGuid().ToString("n")[..6]);
        Assert.Equal(1, unknown.ExitCode);
    }

    /// <summary>The sign-in form as a browser submits it; a right password redirects to the return URL.</summary>
    private async Task<bool> SignsInAsync(string username, string password)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Server.BaseAddress };
        var form = await http.GetStringAsync("/account/sign-in?returnUrl=%2Faccount");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]*)\"").Groups[1].Value;
        using var response = await http.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username, ["password"] = password, ["returnUrl"] = "/account", ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token),
        }));
        return response.StatusCode == System.Net.HttpStatusCode.Redirect && response.Headers.Location?.OriginalString == "/account";
    }

    [Fact]
    public async Task A_client_token_with_a_wrong_secret_is_refused_in_one_sentence()
    {
        var secretFile = Path.Combine(_cli.ConfigDirectory, "wrong-secret");
        await File.WriteAllTextAsync(secretFile, "not-the-secret-0123456789");

        var result = await _cli.RunAsync("token", "--client-id", CliServer.Admin, "--client-secret-file", secretFile, "--scope", "tessera:admin");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("error: The server refused the client's token request: ", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task A_token_without_the_admin_scope_is_refused_with_exit_code_3()
    {
        _cli.Environment["TESSERA_TOKEN"] = (await Protocol.ClientCredentialsAsync(CliServer.ResourceServer, CliServer.ResourceServerSecret, "message")).AccessToken;

        var result = await _cli.RunAsync("clients", "list");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("error: The server did not accept the access token (the access token is not valid for this server)", result.Stderr);
    }

    // xunit calls DisposeAsync, then Dispose: the CLI's configuration directory is removed in Dispose.
    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task The_audit_trail_lists_the_changes_made_and_follow_prints_each_new_one()
    {
        var rotated = await _cli.RunAsync("keys", "rotate");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());

        var listed = await _cli.RunAsync("audit", "--type", "key.rotated", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var events = JsonNode.Parse(listed.Stdout)!.AsArray();
        Assert.Contains(events, e => (string?)e!["actor"] == CliServer.Admin && (string?)e["outcome"] == "success");

        using var follow = _cli.Start("audit", "--follow", "--json", "--type", "role.created", "--limit", "1");
        try
        {
            // Bounded waits: the follower says on standard error when it follows (an event made before that is not new to
            // it), then a new event appears once settled (five seconds) at its next poll.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? note;
            do note = await follow.StandardError.ReadLineAsync(deadline.Token);
            while (note is not null && !note.Contains("Following", StringComparison.Ordinal));
            Assert.NotNull(note);
            var role = "followed-" + Guid.NewGuid().ToString("n")[..8];
            var file = WriteFile("role.json", new JsonObject { ["name"] = role, ["permissions"] = new JsonArray("message") });
            Assert.Equal(0, (await _cli.RunAsync("roles", "create", "--file", file)).ExitCode);
            string? line;
            do line = await follow.StandardOutput.ReadLineAsync(deadline.Token);
            while (line is not null && !line.Contains(role, StringComparison.Ordinal));
            Assert.NotNull(line);
            Assert.Equal("role.created", (string?)JsonNode.Parse(line)!["type"]);
        }
        finally
        {
            follow.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task The_audit_trail_is_refused_to_a_token_without_the_audit_permission()
    {
        var secretFile = Path.Combine(_cli.ConfigDirectory, "admin-secret");
        var readOnly = await _cli.RunAsync("token", "--client-id", CliServer.Admin, "--client-secret-file", secretFile, "--scope", "tessera:admin:read");
        Assert.True(readOnly.ExitCode == 0, readOnly.ToString());
        _cli.Environment["TESSERA_TOKEN"] = readOnly.Stdout.Trim();

        var refused = await _cli.RunAsync("audit");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("tessera:admin:audit", refused.Stderr, StringComparison.Ordinal);
    }
}
