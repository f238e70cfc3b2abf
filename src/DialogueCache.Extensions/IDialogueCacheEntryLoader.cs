namespace Dialogue.Caching;

/// <summary>
/// A <see cref="IDialogueCacheLoader"/> whose entries may carry their own time-to-live (the JSON Lines
/// loader's <c>ttlSeconds</c>). The cache prefers <see cref="LoadEntriesAsync"/> when a loader implements it.
/// </summary>
public interface IDialogueCacheEntryLoader : IDialogueCacheLoader
{
    /// <summary>Yields the entries in the stream, in file order.</summary>
    /// <param name="stream">The open file; the caller disposes it.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    IAsyncEnumerable<DialogueCacheEntry> LoadEntriesAsync(Stream stream, CancellationToken cancellationToken);
}
