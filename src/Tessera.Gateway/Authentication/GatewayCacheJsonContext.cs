using System.Text.Json.Serialization;

namespace Tessera.Gateway.Authentication;

/// <summary>Source-generated JSON metadata of the gateway's cached type (HybridCache serializes what it keeps in memory).</summary>
[JsonSerializable(typeof(RefreshedTokens))]
internal sealed partial class GatewayCacheJsonContext : JsonSerializerContext;
