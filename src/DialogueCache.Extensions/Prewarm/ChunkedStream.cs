using System.Runtime.CompilerServices;

namespace Dialogue.Caching.Prewarm;

/// <summary>The streaming loop both loaders share: read a chunk, parse it synchronously, yield the batch.</summary>
internal static class ChunkedStream
{
    // Utf8JsonReader is a ref struct and cannot live across an await or a yield, so each chunk is parsed
    // whole into a reused batch before anything is yielded.
    public static async IAsyncEnumerable<T> ParseAsync<T>(Stream stream, int bufferSize, IChunkParser<T> parser,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var chunk = new Utf8ChunkReader(stream, bufferSize);
        var batch = new List<T>();
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            await chunk.ReadAsync(cancellationToken).ConfigureAwait(false);
            batch.Clear();
            parser.Parse(chunk, batch);
            foreach (var entry in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return entry;
            }
        }
        while (!chunk.IsFinalBlock);
    }
}
