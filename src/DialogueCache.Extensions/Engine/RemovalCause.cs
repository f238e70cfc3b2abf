namespace Dialogue.Caching.Engine;

/// <summary>Why an entry left the cache.</summary>
internal enum RemovalCause
{
    /// <summary>Evicted to make room in a full cache (metric reason <c>capacity</c>).</summary>
    Capacity,

    /// <summary>Its time-to-live or sliding window passed (metric reason <c>expired</c>).</summary>
    Expired,

    /// <summary>A change token it depended on fired (metric reason <c>expired</c>).</summary>
    TokenExpired,

    /// <summary>Invalidated by key or pattern (metric reason <c>removed</c>).</summary>
    Removed,

    /// <summary>The cache was cleared (metric reason <c>cleared</c>).</summary>
    Cleared,

    /// <summary>A new value was set for its key (not an eviction: no metric).</summary>
    Replaced,
}
