using System.Text.Json;
using Tessera.Server.Admin;
using Tessera.Server.Import;

namespace Tessera.Server.Areas.Console.Pages.Apis;

/// <summary>An API as the console's editor shows it: the import file's JSON, indented, with the import's strict reading back.</summary>
internal static class ApiJson
{
    private static readonly JsonSerializerOptions Indented = new(AdminCatalog.Json) { WriteIndented = true };

    public static string Write(ImportedApi api) => JsonSerializer.Serialize(api, Indented);

    public const string Example = """
        {
          "name": "orders",
          "audience": "https://orders.example",
          "scopes": ["orders:read", "orders:write"],
          "accessTokenFormat": "jwt"
        }
        """;
}
