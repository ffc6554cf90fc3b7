using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Server.Import;

/// <summary>
/// Every field of an import file that the import format does not have, by JSON path — System.Text.Json stops at the
/// first one, and an operator should fix them all in one go. Walks the document beside the record types: objects by
/// their properties' JSON names, arrays by their element type; free-form values (attributes) are not walked.
/// </summary>
internal static class UnknownFields
{
    public static List<string> In(JsonElement document, Type type)
    {
        var found = new List<string>();
        Walk(document, type, "$", found);
        return found;
    }

    private static void Walk(JsonElement element, Type type, string path, List<string> found)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (element.ValueKind == JsonValueKind.Array && type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var item = type.GetGenericArguments()[0];
            var index = 0;
            foreach (var entry in element.EnumerateArray()) Walk(entry, item, $"{path}[{index++}]", found);
            return;
        }
        if (element.ValueKind != JsonValueKind.Object || type == typeof(JsonElement) || type == typeof(string) || type.IsPrimitive) return;

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.Ordinal);
        foreach (var field in element.EnumerateObject())
        {
            if (properties.TryGetValue(field.Name, out var property)) Walk(field.Value, property.PropertyType, $"{path}.{field.Name}", found);
            else found.Add($"{path}.{field.Name}");
        }
    }
}
