namespace Dialogue.Caching.Benchmarks.HitRatio;

/// <summary>One cache on one trace at one capacity.</summary>
/// <param name="Cache">The cache's name.</param>
/// <param name="Trace">The trace's name.</param>
/// <param name="Capacity">Entries the cache may hold.</param>
/// <param name="HitRatio">Hits over all requests, in percent.</param>
/// <param name="CountedHitRatio">Hits over the non-scan requests, in percent (equal to <paramref name="HitRatio"/> without scans).</param>
/// <param name="Elapsed">Time the replay took.</param>
internal sealed record HitRatioResult(string Cache, string Trace, int Capacity, double HitRatio, double CountedHitRatio, TimeSpan Elapsed);
