namespace Dialogue.Caching;

/// <summary>How many entries left a cache, by reason.</summary>
/// <param name="Capacity">Evicted to make room in a full cache.</param>
/// <param name="Expired">Removed because their time-to-live passed.</param>
/// <param name="Removed">Removed by <c>Invalidate</c> or <c>InvalidatePattern</c>.</param>
/// <param name="Cleared">Removed by <c>Clear</c>.</param>
public readonly record struct DialogueCacheEvictions(long Capacity, long Expired, long Removed, long Cleared)
{
    /// <summary>All evictions, whatever the reason.</summary>
    public long Total => Capacity + Expired + Removed + Cleared;
}
