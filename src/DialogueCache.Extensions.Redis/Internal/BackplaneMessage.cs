using System.Text;

namespace Dialogue.Caching.Redis.Internal;

/// <summary>
/// One invalidation on the backplane: format version (1 byte), kind (1 byte), the sending node's id
/// (16 bytes), then the key or pattern in UTF-8 (empty for <see cref="BackplaneMessageKind.Clear"/>).
/// </summary>
internal readonly record struct BackplaneMessage(BackplaneMessageKind Kind, Guid Sender, string Argument)
{
    private const byte Version = 1;
    private const int HeaderSize = 18;

    public byte[] Encode()
    {
        var buffer = new byte[HeaderSize + Encoding.UTF8.GetByteCount(Argument)];
        buffer[0] = Version;
        buffer[1] = (byte)Kind;
        Sender.TryWriteBytes(buffer.AsSpan(2, 16));
        Encoding.UTF8.GetBytes(Argument, buffer.AsSpan(HeaderSize));
        return buffer;
    }

    public static bool TryDecode(ReadOnlySpan<byte> data, out BackplaneMessage message)
    {
        message = default;
        if (data.Length < HeaderSize || data[0] != Version)
        {
            return false;
        }

        var kind = (BackplaneMessageKind)data[1];
        var argument = Encoding.UTF8.GetString(data[HeaderSize..]);
        var valid = kind switch
        {
            BackplaneMessageKind.Set or BackplaneMessageKind.Remove or BackplaneMessageKind.Pattern => argument.Length > 0,
            BackplaneMessageKind.Clear => true,
            _ => false,
        };
        if (!valid)
        {
            return false;
        }

        message = new BackplaneMessage(kind, new Guid(data.Slice(2, 16)), argument);
        return true;
    }
}
