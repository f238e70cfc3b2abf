namespace WebSample.Load;

/// <summary>What one phase of the load run measured.</summary>
/// <param name="Name">The phase: uncached (each prompt's first request) or cached (repeats).</param>
/// <param name="Requests">Requests sent.</param>
/// <param name="Hits">Answers with <c>X-Cache: HIT</c>.</param>
/// <param name="Misses">Answers with <c>X-Cache: MISS</c>.</param>
/// <param name="Failures">Answers that were not 200.</param>
/// <param name="Elapsed">Wall-clock time of the phase.</param>
/// <param name="Latency">Client-side latency percentiles.</param>
internal sealed record LoadPhaseResult(string Name, int Requests, int Hits, int Misses, int Failures, TimeSpan Elapsed, LatencySummary Latency)
{
    /// <summary>Requests per second over the phase's wall-clock time.</summary>
    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;
}
