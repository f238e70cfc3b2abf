using System.Buffers;

namespace Dialogue.Caching.Prewarm;

/// <summary>
/// Reads a stream in chunks into one pooled buffer. A parser consumes what it can from <see cref="Data"/>,
/// calls <see cref="Advance"/>, and the rest (an incomplete token or line) moves to the front before the
/// next read. The buffer grows only when a single token or line does not fit in it. A UTF-8 byte order
/// mark at the start is skipped and does not count towards positions.
/// </summary>
internal sealed class Utf8ChunkReader : IDisposable
{
    /// <summary>The starting buffer size: large enough to amortize reads, small enough for the pool.</summary>
    public const int DefaultBufferSize = 64 * 1024;

    // Smallest buffer: room for the byte order mark, and what ArrayPool hands out anyway.
    private const int MinimumBufferSize = 16;

    private readonly Stream _stream;
    private readonly LineCounter _lines = new();
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _atStart = true;

    public Utf8ChunkReader(Stream stream, int bufferSize = DefaultBufferSize)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, MinimumBufferSize));
    }

    /// <summary>The bytes read and not consumed yet.</summary>
    public ReadOnlySpan<byte> Data => _buffer.AsSpan(_start, _end - _start);

    /// <summary>True once the stream is exhausted: <see cref="Data"/> is all that is left.</summary>
    public bool IsFinalBlock { get; private set; }

    /// <summary>The buffer's current size (it grows for tokens larger than the buffer).</summary>
    public int BufferSize => _buffer.Length;

    /// <summary>
    /// Reads more bytes after <see cref="Data"/>, until the buffer is full or the stream ends. Filling the
    /// whole buffer (rather than taking one short read) keeps a slow stream from making the parser rescan
    /// a long token many times.
    /// </summary>
    public async ValueTask ReadAsync(CancellationToken cancellationToken)
    {
        MakeRoom();
        while (_end < _buffer.Length)
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                IsFinalBlock = true;
                break;
            }

            _end += read;
        }

        if (_atStart)
        {
            _atStart = false;
            if (Data.StartsWith("\uFEFF"u8))
            {
                _start += 3;
            }
        }
    }

    /// <summary>Marks the first <paramref name="count"/> bytes of <see cref="Data"/> as consumed.</summary>
    public void Advance(int count)
    {
        _lines.Advance(Data[..count]);
        _start += count;
    }

    /// <summary>The line and position of <see cref="Data"/>[<paramref name="index"/>].</summary>
    public TextLocation Locate(long index) => _lines.Locate(Data, checked((int)index));

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _start = _end = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            // Keep the unconsumed tail: move it to the front.
            Data.CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        else if (_end == _buffer.Length)
        {
            // Nothing was consumed from a full buffer: one token (or line) is larger than the buffer.
            if (_buffer.Length >= Array.MaxLength)
            {
                throw PrewarmErrors.At(Locate(0), $"a single token or line is larger than {Array.MaxLength} bytes");
            }

            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * _buffer.Length, Array.MaxLength));
            Data.CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }
}
