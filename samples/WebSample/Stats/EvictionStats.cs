using Dialogue.Caching;

namespace WebSample.Stats;

/// <summary>Entries that left the cache, by reason.</summary>
internal sealed record EvictionStats(long Capacity, long Expired, long Removed, long Cleared, long Total)
{
    public static EvictionStats From(DialogueCacheEvictions evictions) =>
        new(evictions.Capacity, evictions.Expired, evictions.Removed, evictions.Cleared, evictions.Total);
}
