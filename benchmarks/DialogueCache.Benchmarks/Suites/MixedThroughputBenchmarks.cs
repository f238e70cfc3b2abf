using BenchmarkDotNet.Attributes;
using Dialogue.Caching.Benchmarks.Peers;
using Dialogue.Caching.Benchmarks.Workloads;

namespace Dialogue.Caching.Benchmarks.Suites;

/// <summary>
/// Mixed throughput: 90 % TryGet / 10 % Set from Zipf(0.9) over 100,000 keys, capacity 10,000, on 1 and 2
/// threads. Each invocation runs a fixed number of operations split over the threads; the Mops/s column is the
/// aggregate throughput (time per operation = wall time / all threads' operations).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SuiteConfig))]
public class MixedThroughputBenchmarks
{
    private const int Operations = 1 << 18;

    private Workload _workload = null!;
    private SubjectSet _subjects = null!;
    private WorkerGroup _workers = null!;
    private CacheSubject? _current;
    private int _round;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _workload = StandardWorkloads.Mixed();
        _workers = new WorkerGroup(Threads);

        // One pass over the trace fills each cache to its steady state before anything is measured.
        _subjects = new SubjectSet(_workload.Capacity, subject => subject.Mixed(_workload.Keys, _workload.Values, _workload.Order, 0, _workload.Order.Length));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _workers.Dispose();
        _subjects.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void ConcurrentDictionary() => Run(PeerNames.ConcurrentDictionary);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void DialogueCache_Lru() => Run(PeerNames.DialogueCacheLru);

    [Benchmark(OperationsPerInvoke = Operations)] public void DialogueCache_TinyLfu() => Run(PeerNames.DialogueCacheTinyLfu);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void BitFaster_ConcurrentLru() => Run(PeerNames.BitFasterLru);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void BitFaster_ConcurrentLfu() => Run(PeerNames.BitFasterLfu);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void MemoryCache() => Run(PeerNames.MemoryCache);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void FusionCache() => Run(PeerNames.FusionCache);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void LockedExactLru() => Run(PeerNames.LockedLru);

    private void Run(string name)
    {
        _current = _subjects[name];
        _round++;
        _workers.Run(RunShare);
    }

    // Thread t of n walks its own stretch of the trace; successive invocations move on through it.
    private void RunShare(int thread)
    {
        var share = Operations / Threads;
        var start = (int)((((long)_round * Operations) + ((long)thread * (_workload.Order.Length / Threads))) % _workload.Order.Length);
        _current!.Mixed(_workload.Keys, _workload.Values, _workload.Order, start, share);
    }
}
