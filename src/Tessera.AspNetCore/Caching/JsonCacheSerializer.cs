using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Caching.Hybrid;

namespace Tessera.AspNetCore.Caching;

/// <summary>A cached type written and read with System.Text.Json's source-generated metadata (no reflection).</summary>
internal sealed class JsonCacheSerializer<T>(JsonTypeInfo<T> type) : IHybridCacheSerializer<T>
{
    public T Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        return JsonSerializer.Deserialize(ref reader, type) ?? throw new InvalidOperationException($"A cached {typeof(T).Name} was empty.");
    }

    public void Serialize(T value, IBufferWriter<byte> target)
    {
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, value, type);
    }
}
