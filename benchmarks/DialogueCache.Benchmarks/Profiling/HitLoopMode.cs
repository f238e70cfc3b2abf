using System.Diagnostics;
using System.Globalization;
using Dialogue.Caching.Benchmarks.Peers;
using Dialogue.Caching.Benchmarks.Workloads;

namespace Dialogue.Caching.Benchmarks.Profiling;

/// <summary>
/// <c>hitloop "&lt;cache name&gt;" [seconds]</c>: runs the hit-latency workload on one cache for a while, for a
/// profiler to attach (<c>DOTNET_PerfMapEnabled=1 perf record -e cpu-clock -g</c>). Prints ns per hit each second.
/// </summary>
internal static class HitLoopMode
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine($"usage: hitloop \"<cache>\" [seconds]; caches: {string.Join(", ", CachePeers.All.Select(peer => peer.Name))}");
            return 2;
        }

        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var workload = StandardWorkloads.Hits();
        using var subject = CachePeers.Get(args[1]).Create(workload.Capacity);
        subject.Fill(workload.Keys, workload.Values, workload.Keys.Length);
        const int batch = 1 << 20;
        var total = Stopwatch.StartNew();
        var start = 0;
        while (total.Elapsed.TotalSeconds < seconds)
        {
            var started = Stopwatch.GetTimestamp();
            var operations = 0L;
            while (Stopwatch.GetElapsedTime(started).TotalSeconds < 1)
            {
                subject.Reads(workload.Keys, workload.Order, start, batch);
                start = (start + batch) % workload.Order.Length;
                operations += batch;
            }

            Console.WriteLine($"{subject.Name}: {Stopwatch.GetElapsedTime(started).TotalNanoseconds / operations:0.0} ns/hit");
        }

        return 0;
    }
}
