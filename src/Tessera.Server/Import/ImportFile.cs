using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Server.Import;

/// <summary>Reads an import file strictly: an unknown field or a wrong type stops the start, naming the field.</summary>
public static class ImportFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static ImportDocument Read(string path)
    {
        if (!File.Exists(path)) throw new ImportException([$"import file '{path}' does not exist"]);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ImportDocument>(stream, Options)
                   ?? throw new ImportException([$"import file '{path}' is empty"]);
        }
        catch (JsonException e)
        {
            if (e.Message.Contains("could not be mapped", StringComparison.Ordinal) && AllUnknownFields(path) is { Count: > 0 } unknown)
                throw new ImportException([.. unknown.Select(field => $"{path}: unknown field at {field}")]);
            throw new ImportException([$"{path}: invalid value at {e.Path ?? "$"} — {FirstSentence(e.Message)}"]);
        }
    }

    /// <summary>The serializer stops at the first unknown field; this finds them all.</summary>
    private static List<string> AllUnknownFields(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return UnknownFields.In(document.RootElement, typeof(ImportDocument));
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}

/// <summary>Every problem found in an import file; the server does not start until they are fixed.</summary>
public sealed class ImportException(IReadOnlyList<string> problems)
    : Exception("The import file is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
