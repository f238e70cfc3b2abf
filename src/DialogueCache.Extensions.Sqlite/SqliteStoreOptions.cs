namespace Dialogue.Caching.Sqlite;

/// <summary>
/// Settings of a <see cref="SqliteDialogueCacheStore"/>. Through dependency injection they are named options
/// (one set per cache, named like the cache's <see cref="DialogueCacheOptions"/>) and are validated when the host
/// starts; a bad value fails the start with a message naming the option.
/// </summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Write-behind in batches (the default) or write-through.</summary>
    public SqliteWriteMode WriteMode { get; set; } = SqliteWriteMode.WriteBehind;

    /// <summary>
    /// How often queued writes are committed in write-behind mode, and queued recency updates in both modes
    /// (greater than zero; default 1 second). With write-behind, a crash loses at most the writes of one interval.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most writes waiting for a flush (greater than zero; default 10,000). When the queue is full the writer
    /// flushes it itself: memory stays bounded and no write is dropped.
    /// </summary>
    public int MaxQueueLength { get; set; } = 10_000;

    /// <summary>
    /// The most rows the file keeps for this cache (greater than zero); beyond, the least recently used rows are
    /// deleted. Null (the default) means 10 × the cache's <see cref="DialogueCacheOptions.MaxSize"/>.
    /// </summary>
    public int? MaxRows { get; set; }

    /// <summary>
    /// How often expired rows are deleted from the file and the row count is checked against <see cref="MaxRows"/>
    /// (greater than zero; default 1 minute). A first cleanup runs in the background as soon as the store opens.
    /// </summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a write waits for another process (or connection) that holds the file's write lock before it
    /// fails (at least 1 millisecond; default 5 seconds). SQLite's <c>busy_timeout</c>.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
