namespace WebSample.Dashboard;

/// <summary>What happened in one sampling interval.</summary>
/// <param name="At">When the interval ended.</param>
/// <param name="Hits">Hits in the interval.</param>
/// <param name="Misses">Misses in the interval.</param>
/// <param name="RequestsPerSecond">Reads per second over the interval.</param>
/// <param name="HitRatio">Hits / reads in the interval, from 0 to 1; null when there were no reads (a gap in the chart).</param>
/// <param name="Entries">Entries held at the end of the interval.</param>
internal sealed record StatsSample(DateTimeOffset At, long Hits, long Misses, double RequestsPerSecond, double? HitRatio, int Entries);
