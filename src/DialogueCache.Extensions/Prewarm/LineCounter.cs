namespace Dialogue.Caching.Prewarm;

/// <summary>
/// Tracks lines over bytes as they are consumed, so that a place in the unconsumed bytes can be
/// turned into a line and position even after earlier chunks were discarded. Only '\n' ends a line
/// (a "\r\n" file has the '\r' at the end of the line), as in <see cref="System.Text.Json.Utf8JsonReader"/>.
/// </summary>
internal sealed class LineCounter
{
    // The line of the next unconsumed byte, the offset where that line begins and the offset of that
    // byte, all counted in bytes after the byte order mark.
    private long _line = 1;
    private long _lineStart;
    private long _offset;

    /// <summary>Records that <paramref name="consumed"/> (the bytes right after those seen so far) were consumed.</summary>
    public void Advance(ReadOnlySpan<byte> consumed)
    {
        // Once per chunk, vectorized: this keeps per-token work at zero.
        var newLines = consumed.Count((byte)'\n');
        if (newLines > 0)
        {
            _line += newLines;
            _lineStart = _offset + consumed.LastIndexOf((byte)'\n') + 1;
        }

        _offset += consumed.Length;
    }

    /// <summary>The location of <paramref name="unconsumed"/>[<paramref name="index"/>].</summary>
    /// <param name="unconsumed">The bytes right after those consumed so far.</param>
    /// <param name="index">An index into <paramref name="unconsumed"/>; its length means the end.</param>
    public TextLocation Locate(ReadOnlySpan<byte> unconsumed, int index)
    {
        var before = unconsumed[..index];
        var newLines = before.Count((byte)'\n');
        return newLines == 0
            ? new TextLocation(_line, _offset + index - _lineStart + 1)
            : new TextLocation(_line + newLines, index - before.LastIndexOf((byte)'\n'));
    }
}
