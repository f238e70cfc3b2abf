namespace Dialogue.Caching.Engine;

/// <summary>
/// One cache entry. The key, value and expiry never change after construction, so a reader that got a node from
/// the map without a lock sees a consistent entry; replacing a value replaces the node. A hit writes
/// <see cref="Stamp"/>, <see cref="Touched"/> and <see cref="Reads"/> without a lock; every other field belongs to the
/// engine's bookkeeping and is only touched under the engine lock.
/// </summary>
/// <remarks>
/// Entries of the string API carry nothing more; entries with IMemoryCache/IDistributedCache options are a
/// <see cref="CacheNodeWithOptions"/>, so the common node stays at 96 bytes.
/// </remarks>
internal class CacheNode
{
    private CacheNode? _nextInBucket;

    public CacheNode(object key, object? value, long expiresAt)
    {
        Key = key;
        Value = value;
        ExpiresAt = expiresAt;
        Hash = NodeTable.HashOf(key);
        Kind = value switch
        {
            string => ValueKind.Text,
            byte[] => ValueKind.Bytes,
            _ => ValueKind.Other,
        };
    }

    /// <summary>A <see cref="string"/> for the string keyspace every face shares; any other object for IMemoryCache keys.</summary>
    public object Key { get; }

    /// <summary>The key's hash (<see cref="NodeTable.HashOf"/>), computed once: the table and the frequency sketches use it.</summary>
    public int Hash { get; }

    /// <summary>A string (string API), a byte array (IDistributedCache) or any object (IMemoryCache, possibly null).</summary>
    public object? Value { get; }

    /// <summary>What <see cref="Value"/> is, so a reader can use it without a type check that touches the value.</summary>
    public ValueKind Kind { get; }

    /// <summary>The clock tick at which the entry expires at the latest (see <see cref="CacheClock"/>).</summary>
    public long ExpiresAt { get; }

    /// <summary>Sliding expiration, tokens, priority and callbacks; null for plain entries.</summary>
    public EntryOptions? Options => (this as CacheNodeWithOptions)?.EntryOptions;

    /// <summary>True from the moment the node is linked into the engine until it is removed.</summary>
    public bool IsLive { get; set; }

    /// <summary>
    /// When the entry was last used, on the engine's recency scale (<see cref="ReadRecorder"/>): set when it is
    /// written and by every hit, without a lock.
    /// </summary>
    public long Stamp;

    /// <summary>Set by a hit (after <see cref="Stamp"/>), cleared when the policy re-places the node by its new stamp.</summary>
    public bool Touched;

    /// <summary>Hits not yet counted in the top keys and the frequency sketch (added up without a lock: exact on one thread).</summary>
    public long Reads;

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

    /// <summary>Which of its policy's orders the node is in (the TinyLfu policy's window, probation, protected).</summary>
    public byte Segment { get; set; }

    /// <summary>The node's index in the expiration heap, or -1.</summary>
    public int HeapIndex { get; set; } = -1;

    /// <summary>The node's index in its recency order's heap (<see cref="StampHeap"/>), or -1 when it is on the list.</summary>
    public int RecencyIndex { get; set; } = -1;

    /// <summary>A node for <paramref name="key"/>; one that carries <paramref name="options"/> when there are any.</summary>
    public static CacheNode Create(object key, object? value, long expiresAt, EntryOptions? options) =>
        options is null ? new CacheNode(key, value, expiresAt) : new CacheNodeWithOptions(key, value, expiresAt, options);
}
