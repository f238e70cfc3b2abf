using System.Runtime.CompilerServices;
using Dialogue.Caching.Prewarm;

namespace Dialogue.Caching;

/// <summary>
/// Reads JSON Lines prewarm files: one JSON object per line,
/// <c>{"key": "...", "value": "...", "ttlSeconds": 30}</c>, where <c>ttlSeconds</c> is optional and becomes
/// the entry's <see cref="DialogueCacheEntry.Ttl"/>.
/// </summary>
/// <remarks>
/// <para>
/// The stream is read in chunks and never held whole, so a file larger than memory can be loaded. A UTF-8
/// byte order mark is skipped, lines may end in <c>\n</c> or <c>\r\n</c>, blank lines are skipped and
/// properties other than <c>key</c>, <c>value</c> and <c>ttlSeconds</c> are ignored. Each line must be
/// strict JSON (no comments or trailing commas). A key that appears on two lines is yielded twice, in file
/// order (the cache keeps the last). A file without lines holds no entries.
/// </para>
/// <para>
/// Bad input throws <see cref="DialogueCachePrewarmException"/> with the 1-based line and byte position
/// of the offending token: malformed JSON, a line that is not an object, a missing or repeated <c>key</c>
/// or <c>value</c>, a key or value that is not a string, an empty key, or a <c>ttlSeconds</c> that is not
/// a number greater than 0 or exceeds <see cref="TimeSpan.MaxValue"/>. For malformed JSON the position is
/// the byte where the JSON goes wrong, or just past the end of a line that stops short.
/// </para>
/// </remarks>
public sealed class JsonLinesDialogueCacheLoader : IDialogueCacheEntryLoader
{
    private readonly int _bufferSize;

    /// <summary>Creates a loader.</summary>
    public JsonLinesDialogueCacheLoader()
        : this(Utf8ChunkReader.DefaultBufferSize)
    {
    }

    // Tests use small buffers to put chunk boundaries everywhere.
    internal JsonLinesDialogueCacheLoader(int bufferSize) => _bufferSize = bufferSize;

    /// <inheritdoc />
    /// <exception cref="DialogueCachePrewarmException">A line is not a valid entry.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public IAsyncEnumerable<DialogueCacheEntry> LoadEntriesAsync(Stream stream, CancellationToken cancellationToken)
    {
        ValidateStream(stream);
        return LoadEntriesCoreAsync(stream, cancellationToken);
    }

    /// <summary>Yields the key/value pairs in the stream, in file order, without their time-to-live.</summary>
    /// <param name="stream">The open file; the caller disposes it.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="DialogueCachePrewarmException">A line is not a valid entry.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public IAsyncEnumerable<KeyValuePair<string, string>> LoadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ValidateStream(stream);
        return LoadPairsAsync(stream, cancellationToken);
    }

    private async IAsyncEnumerable<KeyValuePair<string, string>> LoadPairsAsync(
        Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in LoadEntriesCoreAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            yield return new KeyValuePair<string, string>(entry.Key, entry.Value);
        }
    }

    private IAsyncEnumerable<DialogueCacheEntry> LoadEntriesCoreAsync(Stream stream, CancellationToken cancellationToken) =>
        ChunkedStream.ParseAsync(stream, _bufferSize, new JsonLinesParser(), cancellationToken);

    private static void ValidateStream(Stream stream)
    {
        // Validate now rather than at the first MoveNextAsync.
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }
    }
}
