using Dialogue.Caching;

namespace WebSample.Stats;

/// <summary>
/// The cache's aggregate counters since it started or was last cleared, as the admin API and the dashboard show them.
/// No keys: those are user data (see <see cref="TopKeyLabels"/>).
/// </summary>
internal sealed record CacheTotals
{
    public required long Hits { get; init; }

    public required long Misses { get; init; }

    public required long Requests { get; init; }

    /// <summary>Hits / requests, from 0 to 1.</summary>
    public required double HitRatio { get; init; }

    public required int CurrentSize { get; init; }

    public required int MaxSize { get; init; }

    public required double TtlSeconds { get; init; }

    public required EvictionStats Evictions { get; init; }

    /// <summary>Model calls made on misses.</summary>
    public required long ModelCalls { get; init; }

    /// <summary>Requests served by another request's model call in flight.</summary>
    public required long CoalescedCalls { get; init; }

    /// <summary>Memory misses served by the SQLite file (counted in <see cref="Hits"/> too).</summary>
    public required long StoreHits { get; init; }

    public required long StoreErrors { get; init; }

    public required long InputTokensSaved { get; init; }

    public required long OutputTokensSaved { get; init; }

    /// <summary>Model time not spent thanks to hits, in milliseconds.</summary>
    public required double LatencySavedMs { get; init; }

    public static CacheTotals From(DialogueCacheAnalytics analytics)
    {
        ArgumentNullException.ThrowIfNull(analytics);
        return new CacheTotals
        {
            Hits = analytics.Hits,
            Misses = analytics.Misses,
            Requests = analytics.Hits + analytics.Misses,
            HitRatio = analytics.HitRatio,
            CurrentSize = analytics.CurrentSize,
            MaxSize = analytics.MaxSize,
            TtlSeconds = analytics.Ttl.TotalSeconds,
            Evictions = EvictionStats.From(analytics.Evictions),
            ModelCalls = analytics.FactoryCalls,
            CoalescedCalls = analytics.CoalescedCalls,
            StoreHits = analytics.StoreHits,
            StoreErrors = analytics.StoreErrors,
            InputTokensSaved = analytics.InputTokensSaved,
            OutputTokensSaved = analytics.OutputTokensSaved,
            LatencySavedMs = Math.Round(analytics.LatencySaved.TotalMilliseconds, 3),
        };
    }
}
