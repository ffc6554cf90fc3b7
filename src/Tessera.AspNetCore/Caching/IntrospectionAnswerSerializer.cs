using System.Buffers;
using Microsoft.Extensions.Caching.Hybrid;
using Tessera.AspNetCore.Validation;

namespace Tessera.AspNetCore.Caching;

/// <summary>An introspection answer is cached as the issuer's response body, byte for byte, and parsed again when read.</summary>
internal sealed class IntrospectionAnswerSerializer : IHybridCacheSerializer<IntrospectionAnswer>
{
    public static readonly IntrospectionAnswerSerializer Instance = new();

    public IntrospectionAnswer Deserialize(ReadOnlySequence<byte> source) =>
        IntrospectionAnswer.Parse(source.ToArray()) ?? throw new InvalidOperationException("A cached introspection answer is not a JSON object.");

    public void Serialize(IntrospectionAnswer value, IBufferWriter<byte> target) => target.Write(value.Raw);
}
