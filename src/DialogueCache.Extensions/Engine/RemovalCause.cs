namespace Dialogue.Caching.Engine;

/// <summary>Why an entry left the cache; the values of the <c>cache.eviction.reason</c> metric tag.</summary>
internal enum RemovalCause
{
    /// <summary>Evicted to make room in a full cache.</summary>
    Capacity,

    /// <summary>Its time-to-live passed.</summary>
    Expired,

    /// <summary>Invalidated by key or pattern.</summary>
    Removed,

    /// <summary>The cache was cleared.</summary>
    Cleared,
}
