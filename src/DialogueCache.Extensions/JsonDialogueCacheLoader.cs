using Dialogue.Caching.Prewarm;

namespace Dialogue.Caching;

/// <summary>
/// Reads the default prewarm format: one JSON object whose properties are the keys and whose string
/// values are the responses, <c>{"key": "value", ...}</c>.
/// </summary>
/// <remarks>
/// <para>
/// The stream is read in chunks and never held whole, so a file larger than memory can be loaded. A UTF-8
/// byte order mark is skipped. Comments (<c>//</c>, <c>/* */</c>) and trailing commas are allowed, for
/// hand-written files; otherwise the JSON must be valid. A key that appears twice is yielded twice, in
/// file order (the cache keeps the last).
/// </para>
/// <para>
/// Bad input throws <see cref="DialogueCachePrewarmException"/> with the 1-based line and byte position
/// of the offending token: malformed JSON, a top level that is not an object, a value that is not a string
/// (<c>null</c> included), an empty key, content after the object, or an empty input. For malformed JSON
/// the position is the byte where the JSON goes wrong, or just past the end of an input that stops short.
/// Positions do not count a byte order mark.
/// </para>
/// </remarks>
public sealed class JsonDialogueCacheLoader : IDialogueCacheLoader
{
    private readonly int _bufferSize;

    /// <summary>Creates a loader.</summary>
    public JsonDialogueCacheLoader()
        : this(Utf8ChunkReader.DefaultBufferSize)
    {
    }

    // Tests use small buffers to put chunk boundaries everywhere.
    internal JsonDialogueCacheLoader(int bufferSize) => _bufferSize = bufferSize;

    /// <inheritdoc />
    /// <exception cref="DialogueCachePrewarmException">The input is not a JSON object of strings.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public IAsyncEnumerable<KeyValuePair<string, string>> LoadAsync(Stream stream, CancellationToken cancellationToken)
    {
        // Validate now rather than at the first MoveNextAsync.
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }

        return LoadCoreAsync(stream, cancellationToken);
    }

    private IAsyncEnumerable<KeyValuePair<string, string>> LoadCoreAsync(Stream stream, CancellationToken cancellationToken) =>
        ChunkedStream.ParseAsync(stream, _bufferSize, new JsonObjectParser(), cancellationToken);
}
