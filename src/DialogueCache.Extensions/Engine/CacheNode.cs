namespace Dialogue.Caching.Engine;

/// <summary>
/// One cache entry. The key, value, expiry and options never change after construction, so a reader that got
/// a node from the map without a lock sees a consistent entry; replacing a value replaces the node. The
/// remaining fields belong to the engine's bookkeeping and are only touched under the engine lock.
/// </summary>
internal sealed class CacheNode
{
    private CacheNode? _nextInBucket;

    public CacheNode(object key, object? value, long expiresAt, EntryOptions? options = null)
    {
        Key = key;
        Value = value;
        ExpiresAt = expiresAt;
        Options = options;
        Hash = NodeTable.HashOf(key);
    }

    /// <summary>A <see cref="string"/> for the string keyspace every face shares; any other object for IMemoryCache keys.</summary>
    public object Key { get; }

    /// <summary>The key's hash (<see cref="NodeTable.HashOf"/>), computed once: the table and the frequency sketches use it on every read.</summary>
    public int Hash { get; }

    /// <summary>A string (string API), a byte array (IDistributedCache) or any object (IMemoryCache, possibly null).</summary>
    public object? Value { get; }

    /// <summary>The clock tick at which the entry expires at the latest (see <see cref="CacheClock"/>).</summary>
    public long ExpiresAt { get; }

    /// <summary>Sliding expiration, tokens, priority and callbacks; null for plain entries.</summary>
    public EntryOptions? Options { get; }

    /// <summary>True from the moment the node is linked into the engine until it is removed; reads that
    /// reach the read buffer after removal must not touch the policy's list.</summary>
    public bool IsLive { get; set; }

    /// <summary>The next node in this node's hash-table chain (see <see cref="NodeTable"/>).</summary>
    public CacheNode? NextInBucket
    {
        get => Volatile.Read(ref _nextInBucket);
        set => _nextInBucket = value;
    }

    /// <summary>The chain link itself, for unlinking under the engine lock.</summary>
    public ref CacheNode? NextInBucketRef => ref _nextInBucket;

    // Intrusive links of the recency list (no separate list node per entry).
    public CacheNode? Previous { get; set; }

    public CacheNode? Next { get; set; }

    /// <summary>Which of its policy's lists the node is on (the TinyLfu policy's window, probation, protected).</summary>
    public byte Segment { get; set; }

    /// <summary>The node's index in the expiration heap, or -1.</summary>
    public int HeapIndex { get; set; } = -1;

    /// <summary>Reads applied to recency but not yet counted in the top keys (they are counted in batches).</summary>
    public int PendingReads { get; set; }
}
