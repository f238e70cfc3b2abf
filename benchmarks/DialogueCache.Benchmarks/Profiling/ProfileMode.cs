using System.Diagnostics;
using System.Globalization;
using Dialogue.Caching.Benchmarks.Peers;
using Dialogue.Caching.Benchmarks.Workloads;

namespace Dialogue.Caching.Benchmarks.Profiling;

/// <summary>
/// <c>profile hit|mixed|set "&lt;cache name&gt;" [seconds] [threads]</c>: runs one workload on one cache for a
/// while, for a profiler to attach. Prints the rate each second. For JIT-compiled frames with names:
/// <c>DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -e cpu-clock -g dotnet ... profile ...</c>.
/// </summary>
internal static class ProfileMode
{
    private const int Batch = 1 << 18;

    public static int Run(string[] args)
    {
        if (args.Length < 3 || args[1] is not ("hit" or "mixed" or "set"))
        {
            Console.Error.WriteLine($"usage: profile hit|mixed|set \"<cache>\" [seconds] [threads]; caches: {string.Join(", ", CachePeers.All.Select(peer => peer.Name))}");
            return 2;
        }

        var kind = args[1];
        var seconds = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 10;
        var threads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
        var workload = kind switch
        {
            "hit" => StandardWorkloads.Hits(),
            "mixed" => StandardWorkloads.Mixed(),
            _ => StandardWorkloads.Sets(),
        };
        using var subject = CachePeers.Get(args[2]).Create(workload.Capacity);
        subject.Fill(workload.Keys, workload.Values, Math.Min(workload.Capacity, workload.Keys.Length));
        using var workers = new WorkerGroup(threads);
        var total = Stopwatch.StartNew();
        var round = 0L;
        while (total.Elapsed.TotalSeconds < seconds)
        {
            var elapsed = TimeSpan.Zero;
            var operations = 0L;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            while (elapsed.TotalSeconds < 1)
            {
                var offset = (int)(round++ * Batch % workload.Order.Length);
                elapsed += workers.Run(thread =>
                {
                    var start = (offset + (thread * (workload.Order.Length / threads))) % workload.Order.Length;
                    switch (kind)
                    {
                        case "hit": subject.Reads(workload.Keys, workload.Order, start, Batch); break;
                        case "mixed": subject.Mixed(workload.Keys, workload.Values, workload.Order, start, Batch); break;
                        default: subject.Sets(workload.Keys, workload.Values, workload.Order, start, Batch); break;
                    }
                });
                operations += (long)Batch * threads;
            }

            // CPU time per operation moves less than wall time when other processes share the machine.
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{subject.Name}, {kind}, {threads} thread(s): {elapsed.TotalNanoseconds / operations:0.0} ns/op, {operations / elapsed.TotalMicroseconds:0.00} Mops/s, {cpu.TotalNanoseconds / operations:0.0} CPU ns/op"));
        }

        return 0;
    }
}
