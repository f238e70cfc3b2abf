namespace Dialogue.Caching;

/// <summary>
/// Reads prewarm entries from a stream. Implementations should stream: the cache stages at most
/// <see cref="DialogueCacheOptions.MaxSize"/> entries, so a file larger than memory can be loaded.
/// To carry a time-to-live per entry, implement <see cref="IDialogueCacheEntryLoader"/> as well.
/// </summary>
public interface IDialogueCacheLoader
{
    /// <summary>Yields the key/value pairs in the stream, in file order.</summary>
    /// <param name="stream">The open file; the caller disposes it.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    IAsyncEnumerable<KeyValuePair<string, string>> LoadAsync(Stream stream, CancellationToken cancellationToken);
}
