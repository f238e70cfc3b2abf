using BenchmarkDotNet.Running;

namespace Dialogue.Caching.Benchmarks;

/// <summary>
/// Runs the BenchmarkDotNet suites: <c>dotnet run -c Release --project benchmarks/DialogueCache.Benchmarks -- --filter *</c>.
/// </summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
