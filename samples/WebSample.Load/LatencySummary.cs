namespace WebSample.Load;

/// <summary>Latency percentiles of a set of requests, in milliseconds (nearest rank).</summary>
internal sealed record LatencySummary(double P50, double P99, double Max)
{
    public static LatencySummary From(IReadOnlyCollection<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Count == 0)
        {
            return new LatencySummary(0, 0, 0);
        }

        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1]);
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
