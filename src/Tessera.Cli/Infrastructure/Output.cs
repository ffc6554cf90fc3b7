using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Tessera.Cli.Infrastructure;

/// <summary>
/// Where things are written: data on standard output (as JSON with <c>--json</c>), messages, prompts and spinners on
/// standard error, so <c>$(tessera token)</c> captures the token and nothing else.
/// </summary>
public static class Output
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Tables and text for people, on standard output.</summary>
    public static IAnsiConsole Data { get; } = Create(Console.Out, Console.IsOutputRedirected);

    /// <summary>Messages for people, on standard error.</summary>
    public static IAnsiConsole Messages { get; } = Create(Console.Error, Console.IsErrorRedirected);

    public static void Json(JsonNode node) => Console.Out.WriteLine(node.ToJsonString(Indented));

    public static void Line(string text) => Console.Out.WriteLine(text);

    public static void Note(string markup) => Messages.MarkupLine(markup);

    /// <summary>One sentence on one line, never wrapped, so scripts can read it.</summary>
    public static void Error(string sentence)
    {
        if (Console.IsErrorRedirected) Console.Error.WriteLine("error: " + sentence);
        else Messages.MarkupLine("[red]error:[/] " + Markup.Escape(sentence));
    }

    /// <summary>Redirected output (a file, a pipe, a test) is not wrapped at 80 columns.</summary>
    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected) console.Profile.Width = 1000;
        return console;
    }

    /// <summary>A spinner on standard error while <paramref name="work"/> runs (a plain line when not a terminal).</summary>
    public static async Task<T> WaitAsync<T>(string status, Func<Task<T>> work)
    {
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine(status);
            return await work();
        }
        return await Messages.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(status), _ => work());
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns) table.AddColumn(column);
        return table;
    }

    public static string Time(long? unix) => unix is { } value ? DateTimeOffset.FromUnixTimeSeconds(value).ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "never";
}
