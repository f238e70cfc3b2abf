using Dialogue.Caching;

namespace WebSample.Stats;

/// <summary>The body of <c>GET /cache/stats</c>: the cache's counters and its most requested keys, whole.</summary>
internal sealed record CacheStatsResponse(CacheTotals Totals, IReadOnlyList<AdminTopKey> TopKeys)
{
    public static CacheStatsResponse From(DialogueCacheAnalytics analytics)
    {
        ArgumentNullException.ThrowIfNull(analytics);
        return new CacheStatsResponse(
            CacheTotals.From(analytics),
            [.. analytics.MostFrequentlyRequested.Select(k => new AdminTopKey(k.Key, TopKeyLabels.Fingerprint(k.Key), k.Count))]);
    }
}
