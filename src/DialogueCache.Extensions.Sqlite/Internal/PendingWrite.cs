namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>A write waiting in the store's queue for the next flush.</summary>
internal abstract class PendingWrite
{
    protected PendingWrite(string key, long stamp)
    {
        Key = key;
        Stamp = stamp;
    }

    public string Key { get; }

    /// <summary>The recency stamp (Unix milliseconds) the row gets: <c>last_used</c>.</summary>
    public long Stamp { get; }
}
