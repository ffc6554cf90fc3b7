using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Server.Import;

/// <summary>
/// One scope of an API in the import: its name, as a plain string, or <c>{"name": …, "displayNames": {"en": …, "zh-CN": …}}</c>
/// when the operator words what it lets an application do, per language, for the consent and token pages.
/// </summary>
[JsonConverter(typeof(ImportedScopeConverter))]
public sealed record ImportedScope(string? Name, Dictionary<string, string>? DisplayNames = null);

/// <summary>Reads and writes a scope as a string when it has no display names, else as an object.</summary>
public sealed class ImportedScopeConverter : JsonConverter<ImportedScope>
{
    public override ImportedScope? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return new ImportedScope(reader.GetString());
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a scope is a name or an object with name and displayNames");
        string? name = null;
        Dictionary<string, string>? displayNames = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            reader.Read();
            // A JsonException for every malformed scope, so the import file's reader reports it like any other JSON error.
            if (string.Equals(property, "name", StringComparison.OrdinalIgnoreCase))
                name = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Null => null,
                    _ => throw new JsonException("a scope's name is a string"),
                };
            else if (string.Equals(property, "displayNames", StringComparison.OrdinalIgnoreCase)) displayNames = JsonSerializer.Deserialize<Dictionary<string, string>>(ref reader, options);
            else throw new JsonException($"a scope has no property '{property}' (only name and displayNames)");
        }
        return new ImportedScope(name, displayNames);
    }

    public override void Write(Utf8JsonWriter writer, ImportedScope value, JsonSerializerOptions options)
    {
        if (value.DisplayNames is not { Count: > 0 })
        {
            writer.WriteStringValue(value.Name);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        writer.WritePropertyName("displayNames");
        JsonSerializer.Serialize(writer, value.DisplayNames, options);
        writer.WriteEndObject();
    }
}
