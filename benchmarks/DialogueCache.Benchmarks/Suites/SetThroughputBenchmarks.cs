using BenchmarkDotNet.Attributes;
using Dialogue.Caching.Benchmarks.Peers;
using Dialogue.Caching.Benchmarks.Workloads;

namespace Dialogue.Caching.Benchmarks.Suites;

/// <summary>
/// Set throughput on one thread: 100,000 keys round and round into a cache of 10,000, so every Set into a
/// bounded cache is an insert plus an eviction. Allocated bytes are per Set (the cache's own nodes).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SuiteConfig))]
public class SetThroughputBenchmarks
{
    private const int Operations = 1 << 16;

    private Workload _workload = null!;
    private SubjectSet _subjects = null!;
    private int _start;

    [GlobalSetup]
    public void Setup()
    {
        _workload = StandardWorkloads.Sets();
        _subjects = new SubjectSet(_workload.Capacity, subject => subject.Sets(_workload.Keys, _workload.Values, _workload.Order, 0, _workload.Order.Length));
    }

    [GlobalCleanup]
    public void Cleanup() => _subjects.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void ConcurrentDictionary() => Set(PeerNames.ConcurrentDictionary);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void DialogueCache_Lru() => Set(PeerNames.DialogueCacheLru);

    [Benchmark(OperationsPerInvoke = Operations)] public void DialogueCache_TinyLfu() => Set(PeerNames.DialogueCacheTinyLfu);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void BitFaster_ConcurrentLru() => Set(PeerNames.BitFasterLru);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void BitFaster_ConcurrentLfu() => Set(PeerNames.BitFasterLfu);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void MemoryCache() => Set(PeerNames.MemoryCache);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void FusionCache() => Set(PeerNames.FusionCache);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void LockedExactLru() => Set(PeerNames.LockedLru);

    private void Set(string name)
    {
        _start = (_start + Operations) % _workload.Order.Length;
        _subjects[name].Sets(_workload.Keys, _workload.Values, _workload.Order, _start, Operations);
    }
}
