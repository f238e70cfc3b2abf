using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;

namespace Dialogue.Caching.Hybrid;

/// <summary>The fallback serializer for every other type: System.Text.Json, as the default HybridCache's.</summary>
internal sealed class JsonHybridSerializer<T>(JsonSerializerOptions options) : IHybridCacheSerializer<T>
{
    public JsonSerializerOptions Options { get; } = options;

    public T Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        return JsonSerializer.Deserialize<T>(ref reader, Options)!;
    }

    public void Serialize(T value, IBufferWriter<byte> target)
    {
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, value, Options);
    }
}
