namespace Dialogue.Caching.Benchmarks.Workloads;

/// <summary>Seeded Zipf-distributed key ids: the skewed popularity of real dialogue traffic.</summary>
internal static class ZipfGenerator
{
    /// <summary>
    /// <paramref name="length"/> ids in [0, <paramref name="keys"/>), id 0 the most popular, P(id r) ∝ 1 / (r + 1)^<paramref name="exponent"/>.
    /// The same seed gives the same trace on every machine (<see cref="Random(int)"/> is a fixed algorithm).
    /// </summary>
    public static int[] Generate(int keys, double exponent, int length, int seed)
    {
        var cumulative = new double[keys];
        var sum = 0.0;
        for (var rank = 0; rank < keys; rank++)
        {
            sum += 1.0 / Math.Pow(rank + 1, exponent);
            cumulative[rank] = sum;
        }

        var random = new Random(seed);
        var trace = new int[length];
        for (var i = 0; i < length; i++)
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            trace[i] = index >= 0 ? index : Math.Min(~index, keys - 1);
        }

        return trace;
    }
}
