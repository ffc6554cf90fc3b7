using System.Diagnostics;
using System.Text.RegularExpressions;
using Tessera.Server.Tests.Infrastructure;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Issue 18's newcomer path, kept true by CI: the README's shell examples — the walk-through, the token exchange, the
/// admin token and the audit query — are taken from README.md as written and run with bash and curl against the server
/// started the way the README's first command starts it (the demo profile: the demo import, http://127.0.0.1:5080,
/// Development), on a database of its own. A changed example that no longer works fails here.
/// </summary>
public sealed partial class ReadmeWalkThroughTests
{
    private const int Port = 5080;

    [Fact]
    public async Task The_readmes_curl_examples_work_as_written_against_the_demo()
    {
        var root = RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var script = string.Join('\n',
            BashBlocks(Section(readme, "## Walk-through")),
            BashBlocks(Section(readme, "## Token exchange (RFC 8693)")),
            BashBlocks(Section(readme, "## Endpoints")),
            BashBlocks(Section(readme, "## Telemetry and the audit trail")));
        Assert.Contains("connect/introspect", script, StringComparison.Ordinal);
        Assert.Contains("/admin/audit", script, StringComparison.Ordinal);

        var data = Directory.CreateTempSubdirectory("tessera-readme-");
        try
        {
            using var server = ServerProcess.Start(
                ["--urls", $"http://127.0.0.1:{Port}", "--environment", "Development", "--import", Path.Combine(root, "samples", "demo.json")],
                workingDirectory: data.FullName,
                environment: new Dictionary<string, string>
                {
                    ["Tessera__Database__ConnectionString"] = $"Data Source={Path.Combine(data.FullName, "tessera.db")}",
                    ["Tessera__Email__PickupDirectory"] = Path.Combine(data.FullName, "mail"),
                });
            Assert.True(await server.AnswersAsync(Port, "/health/ready"), "the demo server did not become ready on 127.0.0.1:5080");

            var (exit, output, errors) = await BashAsync(script, data.FullName);

            Assert.True(exit == 0, $"exit {exit}\n{errors}\n{output}");
            Assert.Contains("\"token_type\":\"Bearer\",\"expires_in\":900,\"scope\":\"message message:write\"", output, StringComparison.Ordinal);
            Assert.Contains("{\"active\":true,\"scope\":\"ledger\",\"client_id\":\"svc\"", output, StringComparison.Ordinal);
            Assert.Contains("{\"active\":false}", output, StringComparison.Ordinal);
            Assert.Contains("\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\"", output, StringComparison.Ordinal);
            Assert.Contains("{\"keys\":[", output, StringComparison.Ordinal);
            Assert.Contains("{\"events\":[", output, StringComparison.Ordinal);
            await server.StopAsync();
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Tessera.slnx"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Tessera.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string Section(string readme, string heading)
    {
        var start = readme.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no section '{heading}'");
        var end = readme.IndexOf("\n## ", start + heading.Length + 2, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    /// <summary>The ```bash blocks, without their comment lines and without the CLI's lines (the tool is not installed here).</summary>
    private static string BashBlocks(string section) => string.Join('\n', Bash().Matches(section)
        .Select(m => string.Join('\n', m.Groups[1].Value.Split('\n')
            .Where(line => !line.TrimStart().StartsWith('#') && !line.TrimStart().StartsWith("tessera ", StringComparison.Ordinal)))));

    private static async Task<(int Exit, string Output, string Errors)> BashAsync(string script, string directory)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        start.ArgumentList.Add("-s");
        using var bash = Process.Start(start)!;
        await bash.StandardInput.WriteAsync("set -euo pipefail\n" + script + "\n");
        bash.StandardInput.Close();
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bash.WaitForExitAsync(deadline.Token);
        return (bash.ExitCode, await output, await errors);
    }

    [GeneratedRegex("```bash\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Bash();
}
