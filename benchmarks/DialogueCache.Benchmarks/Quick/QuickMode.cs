using System.Diagnostics;
using System.Runtime.InteropServices;
using Dialogue.Caching.Benchmarks.Memory;

namespace Dialogue.Caching.Benchmarks.Quick;

/// <summary>
/// <c>quick</c>: the BenchmarkDotNet comparisons under a small harness of its own (warm-up, 7 repetitions,
/// medians), then memory per entry, prewarm and InvalidatePattern; prints markdown tables and the targets.
/// <c>memory</c>: only the last three; <c>throughput</c>: only the first four.
/// </summary>
internal static class QuickMode
{
    public static int Run(bool throughput, bool memory)
    {
        var total = Stopwatch.StartNew();
        var targets = new TargetReport();
        Console.WriteLine($"## DialogueCache benchmarks ({(throughput && memory ? "quick" : throughput ? "throughput" : "memory")} mode)");
        Console.WriteLine();
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}; load average at start {Harness.LoadAverage():0.00}.");
        Console.WriteLine();

        if (throughput)
        {
            var hits = Section("hit latency", ThroughputComparisons.HitLatency);
            Console.WriteLine(ComparisonTable.Format("Hit latency: 1,000 keys, capacity 1,000, 1 thread", "ns/hit", higherIsBetter: false, hits, "B/hit"));
            targets.HitLatency(hits);

            var mixed1 = Section("mixed, 1 thread", () => ThroughputComparisons.Mixed(1));
            Console.WriteLine(ComparisonTable.Format("Mixed 90/10, Zipf(0.9) over 100,000 keys, capacity 10,000, 1 thread", "Mops/s", higherIsBetter: true, mixed1, "B/op"));
            targets.TinyLfuThroughput(mixed1, threads: 1);

            var mixed2 = Section("mixed, 2 threads", () => ThroughputComparisons.Mixed(2));
            Console.WriteLine(ComparisonTable.Format("Mixed 90/10, Zipf(0.9) over 100,000 keys, capacity 10,000, 2 threads", "Mops/s", higherIsBetter: true, mixed2, "B/op", showCpu: true));
            targets.MixedTwoThreads(mixed2);
            targets.TinyLfuThroughput(mixed2, threads: 2);

            var sets = Section("set", ThroughputComparisons.Sets);
            Console.WriteLine(ComparisonTable.Format("Set: 100,000 keys round-robin into capacity 10,000 (insert + evict), 1 thread", "Mops/s", higherIsBetter: true, sets, "B/Set"));
        }

        if (memory)
        {
            var perEntry = Section("memory per entry", MemoryPerEntry.Measure);
            Console.WriteLine(MemoryPerEntry.Format(perEntry));
            targets.MemoryPerEntry(perEntry);

            var prewarm = Section("prewarm", PrewarmMeasurement.Measure);
            Console.WriteLine(PrewarmMeasurement.Format(prewarm));
            targets.Prewarm(prewarm.Runs);

            var invalidate = Section("InvalidatePattern", InvalidatePatternMeasurement.Measure);
            Console.WriteLine(InvalidatePatternMeasurement.Format(invalidate));
            targets.Invalidate(invalidate);
        }

        Console.WriteLine(targets.Format());
        Console.WriteLine($"Total time: {total.Elapsed.TotalSeconds:0} s; load average at the end {Harness.LoadAverage():0.00}.");
        return 0;
    }

    // Progress goes to stderr so that stdout is the markdown report alone.
    private static T Section<T>(string name, Func<T> run)
    {
        var started = Stopwatch.StartNew();
        Console.Error.WriteLine($"  {name}...");
        var result = run();
        Console.Error.WriteLine($"  {name}: {started.Elapsed.TotalSeconds:0.0} s");
        return result;
    }
}
