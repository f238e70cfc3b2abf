using System.Globalization;
using System.Text;

namespace WebSample.Load;

/// <summary>Prints the phases side by side.</summary>
internal static class LoadReport
{
    public static string Format(LoadRunOptions options, IReadOnlyList<LoadPhaseResult> phases)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(phases);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"WebSample load run: {phases.Sum(p => p.Requests):N0} requests, {options.Clients} concurrent clients, " +
            $"{options.Prompts:N0} distinct prompts, simulated model latency {options.ModelLatency.TotalMilliseconds:0} ms, " +
            $"{Environment.ProcessorCount} cores");
        text.AppendLine();
        text.AppendLine("| path | requests | HIT | MISS | failed | requests/s | p50 ms | p99 ms | max ms |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in phases)
        {
            text.AppendLine(c, $"| {p.Name} | {p.Requests:N0} | {p.Hits:N0} | {p.Misses:N0} | {p.Failures:N0} | " +
                $"{p.RequestsPerSecond:N1} | {p.Latency.P50:N2} | {p.Latency.P99:N2} | {p.Latency.Max:N2} |");
        }

        return text.ToString();
    }
}
