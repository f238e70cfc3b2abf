using BenchmarkDotNet.Running;
using Dialogue.Caching.Benchmarks.HitRatio;
using Dialogue.Caching.Benchmarks.Profiling;
using Dialogue.Caching.Benchmarks.Quick;

namespace Dialogue.Caching.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/DialogueCache.Benchmarks -- &lt;mode&gt;</c>. Custom modes are
/// dispatched on the first argument; anything else goes to BenchmarkDotNet (<c>-- --filter '*' --job short</c>).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "quick":
                return QuickMode.Run(throughput: true, memory: true);
            case "memory":
                return QuickMode.Run(throughput: false, memory: true);
            case "prewarm":
                Console.WriteLine(Memory.PrewarmMeasurement.Format(Memory.PrewarmMeasurement.Measure()));
                return 0;
            case "throughput":
                return QuickMode.Run(throughput: true, memory: false);
            case "hitratio":
                return HitRatioMode.Run(args.Length > 1 ? args[1] : null);
            case "profile":
                return ProfileMode.Run(args);
            case "redis-propagation":
                Redis.RedisPropagationMeasurement.Run(args[1..]);
                return 0;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
