using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// What the shared cache holds for one opaque token: what introspection needs of it while active, or only that it was
/// revoked (a revoked token stays revoked, so that answer is as cacheable as an active one and saves the same read).
/// <see cref="Hash"/> names the token the entry is about, inside the protected payload: an entry copied to another
/// token's key is refused (see <see cref="SharedOpaqueTokenCache"/>).
/// </summary>
internal sealed class SharedOpaqueEntry
{
    public required byte[] Hash { get; init; }

    public CachedOpaqueToken? Token { get; init; }

    public bool Revoked { get; init; }

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, SharedOpaqueEntryJson.Default.SharedOpaqueEntry);

    public static SharedOpaqueEntry? FromUtf8Json(byte[] json) => JsonSerializer.Deserialize(json, SharedOpaqueEntryJson.Default.SharedOpaqueEntry);
}

/// <summary>Source-generated JSON: no reflection on the introspection path.</summary>
[JsonSerializable(typeof(SharedOpaqueEntry))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class SharedOpaqueEntryJson : JsonSerializerContext;
