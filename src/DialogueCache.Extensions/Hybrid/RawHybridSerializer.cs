using System.Buffers;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;

namespace Dialogue.Caching.Hybrid;

/// <summary>The built-in serializers HybridCache has for text and bytes: a string as UTF-8, a byte array as itself.</summary>
internal sealed class RawHybridSerializer : IHybridCacheSerializer<string>, IHybridCacheSerializer<byte[]>
{
    public static RawHybridSerializer Instance { get; } = new();

    string IHybridCacheSerializer<string>.Deserialize(ReadOnlySequence<byte> source) => Encoding.UTF8.GetString(source);

    void IHybridCacheSerializer<string>.Serialize(string value, IBufferWriter<byte> target) => Encoding.UTF8.GetBytes(value, target);

    byte[] IHybridCacheSerializer<byte[]>.Deserialize(ReadOnlySequence<byte> source) => source.ToArray();

    void IHybridCacheSerializer<byte[]>.Serialize(byte[] value, IBufferWriter<byte> target) => target.Write(value);
}
