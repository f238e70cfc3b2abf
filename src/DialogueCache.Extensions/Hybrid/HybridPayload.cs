using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Caching.Hybrid;

namespace Dialogue.Caching.Hybrid;

/// <summary>
/// The frame a HybridCache entry is stored in, in memory and in the store alike, so that its tags and creation
/// stamp travel with the value through every tier:
/// <code>
/// 4 bytes   "DCH" and the format version (1)
/// 8 bytes   creation stamp, UTC ticks, little-endian
/// 1 byte    flags: bit 0 = the value is null (no value bytes follow)
/// varint    tag count, then per tag: varint character count and the UTF-16LE characters (lossless for any string)
/// rest      the value as its serializer wrote it
/// </code>
/// Anything else under a key (a value another face stored, a foreign or corrupt payload) does not decode.
/// </summary>
/// <remarks>
/// Payload arrays are never changed once built, and the faces hand out copies, so a decoded frame is
/// remembered per array: a memory hit skips parsing, and an immutable value deserialized once is shared by every
/// later reader, as HybridCache shares immutable values.
/// </remarks>
internal sealed class HybridPayload
{
    private const int FixedLength = 13;
    private const byte NullValueFlag = 1;
    private static readonly byte[] Magic = "DCH\u0001"u8.ToArray();
    private static readonly ConditionalWeakTable<byte[], HybridPayload> Decoded = [];

    private TypedValue? _value;

    private HybridPayload(long created, string[] tags, bool isNull, int valueOffset)
    {
        Created = created;
        Tags = tags;
        IsNull = isNull;
        ValueOffset = valueOffset;
    }

    /// <summary>The creation stamp (see <see cref="HybridTagInvalidations"/>).</summary>
    public long Created { get; }

    /// <summary>The entry's tags, distinct and in ordinal order.</summary>
    public string[] Tags { get; }

    /// <summary>The value stored was null.</summary>
    public bool IsNull { get; }

    /// <summary>Where the serialized value starts.</summary>
    public int ValueOffset { get; }

    /// <summary>
    /// Frames <paramref name="value"/>: null when its serialized form is longer than <paramref name="maximumValueBytes"/>
    /// (<paramref name="valueLength"/> then says how long it was). An immutable value is remembered with the frame,
    /// so readers share the instance the factory made.
    /// </summary>
    /// <exception cref="Exception">Whatever the serializer throws.</exception>
    public static byte[]? Encode<T>(T value, long created, string[] tags, IHybridCacheSerializer<T> serializer, bool rememberValue,
        long maximumValueBytes, out long valueLength)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        var header = writer.GetSpan(FixedLength);
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt64LittleEndian(header[4..], created);
        header[12] = value is null ? NullValueFlag : (byte)0;
        writer.Advance(FixedLength);
        WriteVarint(writer, (uint)tags.Length);
        foreach (var tag in tags)
        {
            WriteVarint(writer, (uint)tag.Length);
            writer.Write(MemoryMarshal.AsBytes(tag.AsSpan()));
        }

        var valueOffset = writer.WrittenCount;
        if (value is not null)
        {
            serializer.Serialize(value, writer);
        }

        valueLength = writer.WrittenCount - valueOffset;
        if (valueLength > maximumValueBytes)
        {
            return null;
        }

        var bytes = writer.WrittenSpan.ToArray();
        var payload = new HybridPayload(created, tags, value is null, valueOffset);
        if (rememberValue && value is not null)
        {
            payload._value = new TypedValue(typeof(T), value);
        }

        Decoded.AddOrUpdate(bytes, payload);
        return bytes;
    }

    /// <summary>The frame of <paramref name="payload"/>, or null when it is not one.</summary>
    public static HybridPayload? Decode(object payload)
    {
        if (payload is not byte[] bytes)
        {
            return null;
        }

        if (Decoded.TryGetValue(bytes, out var known))
        {
            return known;
        }

        var parsed = Parse(bytes);
        return parsed is null ? null : Decoded.GetValue(bytes, _ => parsed);
    }

    /// <summary>The value, deserialized from <paramref name="bytes"/> (this frame's array) or shared when <typeparamref name="T"/> is immutable.</summary>
    /// <exception cref="Exception">Whatever the serializer throws.</exception>
    public T Read<T>(byte[] bytes, IHybridCacheSerializer<T> serializer, bool shareValue)
    {
        if (IsNull)
        {
            return default!;
        }

        if (shareValue && Volatile.Read(ref _value) is { } known && known.Type == typeof(T))
        {
            return (T)known.Value!;
        }

        var value = serializer.Deserialize(new ReadOnlySequence<byte>(bytes, ValueOffset, bytes.Length - ValueOffset));
        if (!shareValue || value is null)
        {
            return value;
        }

        // The first reader's instance wins, so concurrent first readers end up sharing one too.
        var winner = Interlocked.CompareExchange(ref _value, new TypedValue(typeof(T), value), null);
        return winner is not null && winner.Type == typeof(T) ? (T)winner.Value! : value;
    }

    private static HybridPayload? Parse(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.Length < FixedLength || !span[..4].SequenceEqual(Magic) || (span[12] & ~NullValueFlag) != 0)
        {
            return null;
        }

        var created = BinaryPrimitives.ReadInt64LittleEndian(span[4..]);
        var isNull = span[12] == NullValueFlag;
        var offset = FixedLength;
        if (!TryReadVarint(span, ref offset, out var count) || count > (uint)(span.Length - offset))
        {
            return null;
        }

        var tags = count == 0 ? [] : new string[count];
        for (var i = 0; i < tags.Length; i++)
        {
            if (!TryReadVarint(span, ref offset, out var length) || (ulong)length * 2 > (ulong)(span.Length - offset))
            {
                return null;
            }

            tags[i] = new string(MemoryMarshal.Cast<byte, char>(span.Slice(offset, (int)length * 2)));
            offset += (int)length * 2;
        }

        return isNull && offset != span.Length ? null : new HybridPayload(created, tags, isNull, offset);
    }

    private static void WriteVarint(ArrayBufferWriter<byte> writer, uint value)
    {
        var span = writer.GetSpan(5);
        var written = 0;
        while (value >= 0x80)
        {
            span[written++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[written++] = (byte)value;
        writer.Advance(written);
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> span, ref int offset, out uint value)
    {
        value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (offset >= span.Length)
            {
                return false;
            }

            var b = span[offset++];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value <= int.MaxValue;
            }
        }

        return false;
    }

    private sealed record TypedValue(Type Type, object? Value);
}
