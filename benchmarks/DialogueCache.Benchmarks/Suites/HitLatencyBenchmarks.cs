using BenchmarkDotNet.Attributes;
using Dialogue.Caching.Benchmarks.Peers;
using Dialogue.Caching.Benchmarks.Workloads;

namespace Dialogue.Caching.Benchmarks.Suites;

/// <summary>
/// Hit latency and allocations per hit: one thread reads 1,000 cached keys in random order (every read a hit).
/// Time and allocated bytes are per read.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SuiteConfig))]
public class HitLatencyBenchmarks
{
    private const int Operations = 1 << 16;

    private Workload _workload = null!;
    private SubjectSet _subjects = null!;
    private int _start;

    [GlobalSetup]
    public void Setup()
    {
        _workload = StandardWorkloads.Hits();
        _subjects = new SubjectSet(_workload.Capacity, subject =>
        {
            subject.Fill(_workload.Keys, _workload.Values, _workload.Keys.Length);
            var hits = subject.Reads(_workload.Keys, _workload.Order, 0, _workload.Order.Length);
            if (hits != _workload.Order.Length)
            {
                throw new InvalidOperationException($"{subject.Name}: {hits} of {_workload.Order.Length} reads hit; the hit-latency workload needs every read to hit.");
            }
        });
    }

    [GlobalCleanup]
    public void Cleanup() => _subjects.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public long ConcurrentDictionary() => Read(PeerNames.ConcurrentDictionary);

    [Benchmark(OperationsPerInvoke = Operations)]
    public long DialogueCache_Lru() => Read(PeerNames.DialogueCacheLru);

    [Benchmark(OperationsPerInvoke = Operations)] public long DialogueCache_TinyLfu() => Read(PeerNames.DialogueCacheTinyLfu);

    [Benchmark(OperationsPerInvoke = Operations)]
    public long BitFaster_ConcurrentLru() => Read(PeerNames.BitFasterLru);

    [Benchmark(OperationsPerInvoke = Operations)]
    public long BitFaster_ConcurrentLfu() => Read(PeerNames.BitFasterLfu);

    [Benchmark(OperationsPerInvoke = Operations)]
    public long MemoryCache() => Read(PeerNames.MemoryCache);

    [Benchmark(OperationsPerInvoke = Operations)]
    public long FusionCache() => Read(PeerNames.FusionCache);

    [Benchmark(OperationsPerInvoke = Operations)]
    public long LockedExactLru() => Read(PeerNames.LockedLru);

    private long Read(string name)
    {
        _start += Operations;
        return _subjects[name].Reads(_workload.Keys, _workload.Order, _start & int.MaxValue, Operations);
    }
}
