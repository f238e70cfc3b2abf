using System.Buffers.Binary;
using System.Text;

namespace Dialogue.Caching.Redis.Internal;

/// <summary>
/// The bytes of an entry in Redis: one byte for the kind of value (<c>s</c> for a string stored as UTF-8,
/// <c>b</c> for a byte array), the length of the original cache key (4 bytes, little-endian), the key in UTF-8,
/// then the value. The expiry is not in the value: it is the key's native Redis TTL.
/// </summary>
internal static class EntryCodec
{
    /// <summary>Kind byte plus key length.</summary>
    public const int HeaderSize = 5;

    /// <summary>The most key bytes read by the first pass of a pattern scan; longer keys take a second read.</summary>
    public const int KeyProbeBytes = 256;

    /// <summary>A key longer than this is not a key this library wrote.</summary>
    private const int MaxKeyBytes = 64 * 1024 * 1024;

    private const byte TextKind = (byte)'s';
    private const byte BytesKind = (byte)'b';

    /// <summary>Encodes a key and its value (a <see cref="string"/> or a <see cref="byte"/> array).</summary>
    public static byte[] Encode(string key, object value)
    {
        var keyLength = Encoding.UTF8.GetByteCount(key);
        var (kind, valueLength) = value switch
        {
            string text => (TextKind, Encoding.UTF8.GetByteCount(text)),
            byte[] bytes => (BytesKind, bytes.Length),
            _ => throw new ArgumentException($"A store value is a string or a byte array, not {value.GetType()}.", nameof(value)),
        };

        var buffer = new byte[HeaderSize + keyLength + valueLength];
        buffer[0] = kind;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(1), keyLength);
        Encoding.UTF8.GetBytes(key, buffer.AsSpan(HeaderSize, keyLength));
        var payload = buffer.AsSpan(HeaderSize + keyLength);
        if (value is string s)
        {
            Encoding.UTF8.GetBytes(s, payload);
        }
        else
        {
            ((byte[])value).CopyTo(payload);
        }

        return buffer;
    }

    /// <summary>Decodes an entry; false when the bytes are not in this format.</summary>
    /// <param name="data">The stored bytes.</param>
    /// <param name="key">The original cache key.</param>
    /// <param name="value">A <see cref="string"/> or a <see cref="byte"/> array.</param>
    public static bool TryDecode(ReadOnlySpan<byte> data, out string key, out object value)
    {
        key = string.Empty;
        value = string.Empty;
        if (!TryReadHeader(data, out var kind, out var keyLength) || data.Length < HeaderSize + keyLength)
        {
            return false;
        }

        key = Encoding.UTF8.GetString(data.Slice(HeaderSize, keyLength));
        var payload = data[(HeaderSize + keyLength)..];
        value = kind == TextKind ? Encoding.UTF8.GetString(payload) : payload.ToArray();
        return true;
    }

    /// <summary>Reads the kind and key length at the start of an entry.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out byte kind, out int keyLength)
    {
        kind = 0;
        keyLength = 0;
        if (data.Length < HeaderSize || (data[0] != TextKind && data[0] != BytesKind))
        {
            return false;
        }

        kind = data[0];
        keyLength = BinaryPrimitives.ReadInt32LittleEndian(data[1..]);
        return keyLength is > 0 and <= MaxKeyBytes;
    }
}
