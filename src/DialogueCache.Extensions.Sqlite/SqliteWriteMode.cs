namespace Dialogue.Caching.Sqlite;

/// <summary>When a <see cref="SqliteDialogueCacheStore"/> writes an entry to its file.</summary>
public enum SqliteWriteMode
{
    /// <summary>
    /// Entries are queued and written in batches, one transaction per batch, every
    /// <see cref="SqliteStoreOptions.FlushInterval"/>, when the queue is full, when the host stops and when the
    /// store is disposed. A crash loses at most the entries written since the last flush.
    /// </summary>
    WriteBehind,

    /// <summary>
    /// Every entry is committed (and synced to disk) before <c>Set</c> returns: nothing acknowledged is lost on
    /// a crash, at the price of one transaction per write.
    /// </summary>
    WriteThrough,
}
