using System.Diagnostics;
using Dialogue.Caching.Benchmarks.Peers;
using Dialogue.Caching.Benchmarks.Workloads;

namespace Dialogue.Caching.Benchmarks.Quick;

/// <summary>The quick mode's latency and throughput comparisons: the BenchmarkDotNet suites' workloads under <see cref="Harness"/>.</summary>
internal static class ThroughputComparisons
{
    private const int HitOperations = 1 << 21;
    private const int MixedOperations = 1 << 20;
    private const int SetOperations = 1 << 18;
    private const int WarmupOperations = 4_096;

    /// <summary>Single-thread hit latency (ns per hit) and bytes allocated per hit.</summary>
    public static List<PeerResult> HitLatency()
    {
        var workload = StandardWorkloads.Hits();
        var subjects = Create(workload, subject => subject.Fill(workload.Keys, workload.Values, workload.Keys.Length));
        var start = 0;
        try
        {
            return Harness.Compare(
                subjects,
                threads: 1,
                subject => subject.Reads(workload.Keys, workload.Order, 0, WarmupOperations),
                subject =>
                {
                    start += HitOperations;
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    var started = Stopwatch.GetTimestamp();
                    var hits = subject.Reads(workload.Keys, workload.Order, start & int.MaxValue, HitOperations);
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
                    if (hits != HitOperations)
                    {
                        throw new InvalidOperationException($"{subject.Name}: {hits} of {HitOperations} reads hit; the hit-latency workload needs every read to hit.");
                    }

                    return new Measurement(elapsed.TotalNanoseconds / HitOperations, (double)allocated / HitOperations);
                });
        }
        finally
        {
            Dispose(subjects);
        }
    }

    /// <summary>Mixed 90/10 throughput (Mops/s, all threads together) on <paramref name="threads"/> threads.</summary>
    public static List<PeerResult> Mixed(int threads)
    {
        var workload = StandardWorkloads.Mixed();
        var subjects = Create(workload, subject => subject.Mixed(workload.Keys, workload.Values, workload.Order, 0, workload.Order.Length));
        using var workers = new WorkerGroup(threads);
        var round = 0;
        try
        {
            return Harness.Compare(
                subjects,
                threads,
                subject => workers.Run(thread => subject.Mixed(workload.Keys, workload.Values, workload.Order, thread * 7_919, WarmupOperations)),
                subject =>
                {
                    round++;
                    var share = MixedOperations / threads;
                    var allocated = GC.GetTotalAllocatedBytes(precise: true);
                    var elapsed = workers.Run(thread =>
                    {
                        // Each thread walks its own stretch of the trace; the next round moves on.
                        var start = (int)((((long)round * MixedOperations) + ((long)thread * (workload.Order.Length / threads))) % workload.Order.Length);
                        subject.Mixed(workload.Keys, workload.Values, workload.Order, start, share);
                    });
                    allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                    return new Measurement(MixedOperations / elapsed.TotalMicroseconds, (double)allocated / MixedOperations);
                });
        }
        finally
        {
            Dispose(subjects);
        }
    }

    /// <summary>Single-thread Set throughput (Mops/s) and bytes allocated per Set.</summary>
    public static List<PeerResult> Sets()
    {
        var workload = StandardWorkloads.Sets();
        var subjects = Create(workload, subject => subject.Sets(workload.Keys, workload.Values, workload.Order, 0, workload.Order.Length));
        var start = 0;
        try
        {
            var results = Harness.Compare(
                subjects,
                threads: 1,
                subject => subject.Sets(workload.Keys, workload.Values, workload.Order, 0, WarmupOperations),
                subject =>
                {
                    start = (start + SetOperations) % workload.Order.Length;
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    var started = Stopwatch.GetTimestamp();
                    subject.Sets(workload.Keys, workload.Values, workload.Order, start, SetOperations);
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
                    return new Measurement(SetOperations / elapsed.TotalMicroseconds, (double)allocated / SetOperations);
                });
            foreach (var result in results.Where(result => result.Name is PeerNames.MemoryCache or PeerNames.FusionCache))
            {
                result.Note = "a Set into a full MemoryCache is dropped while a compaction runs on the thread pool, so part of these Sets stored nothing.";
            }

            foreach (var result in results.Where(result => result.Name == PeerNames.ConcurrentDictionary))
            {
                result.Note = "unbounded: after the first round every Set replaces a value in place (no insert, no eviction, no allocation).";
            }

            return results;
        }
        finally
        {
            Dispose(subjects);
        }
    }

    private static List<CacheSubject> Create(Workload workload, Action<CacheSubject> prepare)
    {
        var subjects = new List<CacheSubject>();
        foreach (var peer in CachePeers.All)
        {
            var subject = peer.Create(workload.Capacity);
            prepare(subject);
            subjects.Add(subject);
        }

        return subjects;
    }

    private static void Dispose(List<CacheSubject> subjects)
    {
        foreach (var subject in subjects)
        {
            subject.Dispose();
        }
    }
}
