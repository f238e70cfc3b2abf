namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>
/// An entry to store. It is written only while it is still the latest pending write of its key (the store's
/// pending map points at it): a later <c>Set</c>, <c>Remove</c> or <c>Clear</c> supersedes it.
/// </summary>
internal sealed class PendingSet(DialogueCacheStoreEntry entry, long stamp) : PendingWrite(entry.Key, stamp)
{
    public DialogueCacheStoreEntry Entry { get; } = entry;
}
