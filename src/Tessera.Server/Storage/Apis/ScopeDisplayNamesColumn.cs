using System.Text.Json;

namespace Tessera.Server.Storage.Apis;

/// <summary>
/// <see cref="ApiResource.ScopeDisplayNames"/> as JSON, <c>{"scope": {"culture": "text"}}</c>: written by the import and
/// the admin API, read by the catalog snapshot. Null for an API that described none of its scopes.
/// </summary>
public static class ScopeDisplayNamesColumn
{
    public static string? Write(IReadOnlyDictionary<string, Dictionary<string, string>> names) =>
        names.Count == 0 ? null : JsonSerializer.Serialize(names);

    public static Dictionary<string, Dictionary<string, string>> Read(string? column) =>
        string.IsNullOrEmpty(column) ? [] : JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(column) ?? [];
}
