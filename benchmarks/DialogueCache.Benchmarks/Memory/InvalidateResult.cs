namespace Dialogue.Caching.Benchmarks.Memory;

/// <summary>One <c>InvalidatePattern</c> over the 1,000,000-entry cache, with the readers' latencies around it.</summary>
internal sealed record InvalidateResult(
    string Pattern,
    int Removed,
    TimeSpan Duration,
    TimeSpan DurationWithoutReaders,
    LatencyHistogram Alone,
    LatencyHistogram CpuCompetitor,
    LatencyHistogram During);
