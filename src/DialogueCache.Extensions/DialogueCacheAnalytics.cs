namespace Dialogue.Caching;

/// <summary>A snapshot of a cache's counters since it was created or last cleared.</summary>
public sealed record DialogueCacheAnalytics
{
    /// <summary>Reads that found a live entry.</summary>
    public long Hits { get; init; }

    /// <summary>Reads that found no live entry (expired entries count as misses).</summary>
    public long Misses { get; init; }

    /// <summary>Hits / (hits + misses), from 0 to 1; 0 when there were no reads.</summary>
    public double HitRatio { get; init; }

    /// <summary>
    /// The most requested keys, most requested first, at most <see cref="DialogueCacheOptions.TopKeysCount"/>.
    /// Counts include hits and misses; they come from a bounded heavy-hitter summary, exact while fewer
    /// distinct keys were read than it tracks, and never below the true count otherwise.
    /// </summary>
    public IReadOnlyList<KeyFrequency> MostFrequentlyRequested { get; init; } = [];

    /// <summary>Entries held now.</summary>
    public int CurrentSize { get; init; }

    /// <summary>The largest number of entries the cache holds (<see cref="DialogueCacheOptions.MaxSize"/>).</summary>
    public int MaxSize { get; init; }

    /// <summary>The default time-to-live (<see cref="DialogueCacheOptions.Ttl"/>).</summary>
    public TimeSpan Ttl { get; init; }

    /// <summary>Entries that left the cache, by reason.</summary>
    public DialogueCacheEvictions Evictions { get; init; }

    /// <summary>Factory calls made by <see cref="IDialogueCache.GetOrCreateAsync"/> on misses.</summary>
    public long FactoryCalls { get; init; }

    /// <summary>Callers of <see cref="IDialogueCache.GetOrCreateAsync"/> served by another caller's in-flight factory call.</summary>
    public long CoalescedCalls { get; init; }

    /// <summary>Memory misses served by the second tier (SQLite, Redis); these also count in <see cref="Hits"/>.</summary>
    public long StoreHits { get; init; }

    /// <summary>Memory misses the second tier could not serve either; these also count in <see cref="Misses"/>.</summary>
    public long StoreMisses { get; init; }

    /// <summary>Failed second-tier operations (the memory tier kept serving).</summary>
    public long StoreErrors { get; init; }

    /// <summary>Model input (prompt) tokens not spent thanks to hits (recorded by the AI middleware).</summary>
    public long InputTokensSaved { get; init; }

    /// <summary>Model output (completion) tokens not spent thanks to hits (recorded by the AI middleware).</summary>
    public long OutputTokensSaved { get; init; }

    /// <summary>Model latency avoided thanks to hits (recorded by the AI middleware).</summary>
    public TimeSpan LatencySaved { get; init; }
}
