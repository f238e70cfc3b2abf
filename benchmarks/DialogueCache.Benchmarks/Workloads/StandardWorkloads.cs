namespace Dialogue.Caching.Benchmarks.Workloads;

/// <summary>
/// The workloads of issue 4, defined once so the BenchmarkDotNet suites and the quick mode measure the same thing.
/// </summary>
internal static class StandardWorkloads
{
    /// <summary>Distinct keys of the hit-latency workload; all fit in the cache, so every read is a hit.</summary>
    public const int HitKeys = 1_000;

    /// <summary>Keys behind the mixed and set workloads (and the hit-ratio traces).</summary>
    public const int KeySpace = 100_000;

    /// <summary>Capacity of the mixed and set workloads.</summary>
    public const int MixedCapacity = 10_000;

    /// <summary>Share of the mixed trace that is a Set.</summary>
    public const double WriteShare = 0.10;

    public const double MixedZipfExponent = 0.9;

    private const int OrderLength = 1 << 14;
    private const int MixedTraceLength = 1 << 20;
    private const int Seed = 20_250_104;

    /// <summary>
    /// Hit latency: 1,000 keys in a cache of 1,000, read in a uniformly random (pre-generated) order: every read
    /// is a hit, and the 1,000 entries stay in the CPU caches as they would for a hot working set.
    /// </summary>
    public static Workload Hits()
    {
        var random = new Random(Seed);
        var order = new int[OrderLength];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = random.Next(HitKeys);
        }

        return new Workload("hit latency, 1,000 keys, capacity 1,000", KeySet.Keys(HitKeys), KeySet.Values(HitKeys), order, HitKeys);
    }

    /// <summary>
    /// Mixed: 2^20 operations drawn from Zipf(0.9) over 100,000 keys, 90 % TryGet and 10 % Set (a read that
    /// misses sets nothing), capacity 10,000. Each thread starts at its own offset in the trace.
    /// </summary>
    public static Workload Mixed()
    {
        var ids = ZipfGenerator.Generate(KeySpace, MixedZipfExponent, MixedTraceLength, Seed);
        var random = new Random(Seed + 1);
        var trace = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            trace[i] = random.NextDouble() < WriteShare ? ~ids[i] : ids[i];
        }

        return new Workload("mixed 90/10, Zipf(0.9) over 100,000 keys, capacity 10,000", KeySet.Keys(KeySpace), KeySet.Values(KeySpace), trace, MixedCapacity);
    }

    /// <summary>
    /// Set: the 100,000 keys in a shuffled order, round and round, into a cache of 10,000: every Set into a
    /// bounded cache inserts a key that was evicted long ago and evicts one (the write path at its most
    /// expensive). The unbounded ConcurrentDictionary replaces in place after the first round.
    /// </summary>
    public static Workload Sets()
    {
        var order = Enumerable.Range(0, KeySpace).ToArray();
        new Random(Seed + 2).Shuffle(order);
        return new Workload("Set, 100,000 keys round-robin (shuffled), capacity 10,000", KeySet.Keys(KeySpace), KeySet.Values(KeySpace), order, MixedCapacity);
    }
}
