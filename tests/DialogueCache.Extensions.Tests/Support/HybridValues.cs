using System.Buffers;
using System.ComponentModel;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;

namespace Dialogue.Caching.Tests.Support;

/// <summary>A mutable value: every HybridCache caller must get its own copy.</summary>
internal sealed class Reply
{
    public string Text { get; set; } = "";

    public int Turn { get; set; }
}

/// <summary>An immutable value (sealed, marked): HybridCache callers may share one instance.</summary>
[ImmutableObject(true)]
internal sealed record Line(string Speaker, string Text);

/// <summary>A value only the custom serializer below knows how to write.</summary>
internal sealed class Tagged
{
    public string Name { get; set; } = "";

    public string Via { get; set; } = "";
}

/// <summary>A custom HybridCache serializer that marks what it read, and counts its calls.</summary>
internal sealed class TaggedSerializer(string mark) : IHybridCacheSerializer<Tagged>
{
    private int _serialized;
    private int _deserialized;

    public int Serialized => Volatile.Read(ref _serialized);

    public int Deserialized => Volatile.Read(ref _deserialized);

    public Tagged Deserialize(ReadOnlySequence<byte> source)
    {
        Interlocked.Increment(ref _deserialized);
        return new Tagged { Name = Encoding.UTF8.GetString(source), Via = mark };
    }

    public void Serialize(Tagged value, IBufferWriter<byte> target)
    {
        Interlocked.Increment(ref _serialized);
        Encoding.UTF8.GetBytes(value.Name, target);
    }
}

/// <summary>A serializer factory that offers <see cref="TaggedSerializer"/> for <see cref="Tagged"/> only.</summary>
internal sealed class TaggedSerializerFactory(string mark) : IHybridCacheSerializerFactory
{
    public bool TryCreateSerializer<T>([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IHybridCacheSerializer<T>? serializer)
    {
        serializer = typeof(T) == typeof(Tagged) ? (IHybridCacheSerializer<T>)(object)new TaggedSerializer(mark) : null;
        return serializer is not null;
    }
}
