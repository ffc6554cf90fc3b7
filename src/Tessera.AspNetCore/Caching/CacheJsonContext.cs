using System.Text.Json.Serialization;
using Tessera.AspNetCore.Validation;

namespace Tessera.AspNetCore.Caching;

/// <summary>Source-generated JSON metadata of the cached types that are not kept as the issuer's own bytes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ValidatedJwt))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
