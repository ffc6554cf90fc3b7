using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;

namespace Tessera.Cli.Tests.Infrastructure;

/// <summary>
/// <c>tessera login</c> in the device flow with a person on the other side: the CLI prints where to go and the code,
/// and a headless Chromium signs in as alice, types the code and allows the device.
/// </summary>
public static partial class DeviceLoginInChromium
{
    public static Task<CliResult> RunAsync(TesseraCli cli, string issuer) => RunAsync(cli, issuer, "allow");

    /// <param name="decision">The button alice presses on the device page: allow or deny.</param>
    public static Task<CliResult> RunAsync(TesseraCli cli, string issuer, string decision, params string[] extraArgs) =>
        RunAsync(cli, issuer, async (page, code) =>
        {
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/sign-in", Chromium.Committed);
            await page.FillAsync("input[autocomplete=username]", CliServer.Alice);
            await page.FillAsync("input[autocomplete=current-password]", CliServer.AlicePassword);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/device", Chromium.Committed);
            await page.FillAsync("input[name=user_code]", code);
            await page.ClickAsync("button[type=submit]");
            await page.ClickAsync($"button[name=decision][value={decision}]");
            await Assertions.Expect(page.Locator("#outcome")).ToBeVisibleAsync();
        }, extraArgs);

    /// <param name="person">What the person does in Chromium, from the verification address, with the code the CLI showed.</param>
    public static async Task<CliResult> RunAsync(TesseraCli cli, string issuer, Func<IPage, string, Task> person, params string[] extraArgs)
    {
        using var process = cli.Start(["login", "--issuer", issuer, .. extraArgs]);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = new System.Text.StringBuilder();

        // Read standard error line by line until the CLI has said where to go and which code to type (bounded).
        Match? instruction = null;
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (instruction is null && await process.StandardError.ReadLineAsync(deadline.Token) is { } line)
            {
                stderr.AppendLine(line);
                if (Instruction().Match(line) is { Success: true } match) instruction = match;
            }
        }
        if (instruction is null) throw new InvalidOperationException($"the CLI never showed a code:\n{stderr}\n{await stdout}");
        var remainingStderr = process.StandardError.ReadToEndAsync();

        await using var chromium = await Chromium.LaunchAsync();
        await chromium.RunAsync(async page =>
        {
            await page.GotoAsync(instruction.Groups["uri"].Value);
            await person(page, instruction.Groups["code"].Value);
        });

        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(exit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("tessera login did not finish after the device was allowed");
        }
        return new CliResult(process.ExitCode, await stdout, stderr + await remainingStderr);
    }

    [GeneratedRegex(@"open (?<uri>http\S+) and enter the code (?<code>[A-Z]{4}-[A-Z]{4})")]
    private static partial Regex Instruction();
}
