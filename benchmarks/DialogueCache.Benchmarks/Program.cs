using BenchmarkDotNet.Running;

namespace Dialogue.Caching.Benchmarks;

/// <summary>
/// Runs the BenchmarkDotNet suites: <c>dotnet run -c Release --project benchmarks/DialogueCache.Benchmarks -- --filter *</c>.
/// </summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        // Measurement modes that are not BenchmarkDotNet suites, each in a class of its own.
        if (args is ["redis-propagation", .. var rest])
        {
            Redis.RedisPropagationMeasurement.Run(rest);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
