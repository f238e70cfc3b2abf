namespace Dialogue.Caching;

/// <summary>The policy that picks which entry leaves a full cache.</summary>
public enum EvictionPolicy
{
    /// <summary>
    /// Least recently used: the entry read or written longest ago leaves first. Exact when the cache is
    /// used from one thread; under concurrency reads are recorded through lossy buffers, which keeps the
    /// hit ratio within half a point of exact LRU.
    /// </summary>
    Lru = 0,

    /// <summary>
    /// Frequency-aware and scan-resistant (W-TinyLFU, as in Caffeine): a new entry enters a small LRU window;
    /// to stay, it must have been requested more often recently than the entry it would displace. Keeps more
    /// of the popular responses than LRU on skewed traffic and loses little to one-off scans. Pick it when a
    /// miss is costly and the working set is larger than the cache.
    /// </summary>
    TinyLfu = 1,
}
