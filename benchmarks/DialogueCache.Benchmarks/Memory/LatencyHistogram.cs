namespace Dialogue.Caching.Benchmarks.Memory;

/// <summary>
/// Latencies in nanoseconds, in a fixed array of buckets (no allocation while recording): exact below 1 µs,
/// then 64 buckets per power of two (under 1.6 % error) up to about 18 minutes. One writer thread per histogram.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Linear = 1024;
    private const int SubBuckets = 64;
    private const int Powers = 40;

    private readonly long[] _counts = new long[Linear + ((Powers - 10) * SubBuckets)];
    private long _max;

    public long Count { get; private set; }

    public long Max => _max;

    public void Record(long nanoseconds)
    {
        if (nanoseconds < 0)
        {
            nanoseconds = 0;
        }

        _counts[Index(nanoseconds)]++;
        Count++;
        if (nanoseconds > _max)
        {
            _max = nanoseconds;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        _max = Math.Max(_max, other._max);
    }

    /// <summary>The latency at or below which <paramref name="percentile"/> % of the recorded ones fall (a bucket's lower bound).</summary>
    public long Percentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(percentile / 100 * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return LowerBound(i);
            }
        }

        return _max;
    }

    private static int Index(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        var power = (int)Math.Min(63 - long.LeadingZeroCount(value), Powers - 1);
        var sub = (int)(value >> (power - 6)) & (SubBuckets - 1);
        return Linear + ((power - 10) * SubBuckets) + sub;
    }

    private static long LowerBound(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var power = ((index - Linear) / SubBuckets) + 10;
        var sub = (index - Linear) % SubBuckets;
        return (1L << power) + ((long)sub << (power - 6));
    }
}
